using Rebind.Core.Identity;

namespace Rebind.Core.Flows.SignUp;

/// <summary>Start sign-up for <paramref name="Phone"/>; messages use <paramref name="Culture"/>.</summary>
public sealed record SignUpStart(PhoneNumber Phone, string Culture) : FlowStart(Culture);
