using System.Net;
using System.Net.Http.Json;
using Rebind.Functions.Attestation;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>Anonymous starts (everything that can send a code without a session) need a client attestation token.</summary>
public sealed class AttestationTests
{
    public static readonly TheoryData<string, string> AnonymousStarts = new()
    {
        { "/api/signup", "phone" },
        { "/api/password/reset", "identifier" },
        { "/api/recovery/phone/email", "identifier" },
        { "/api/recovery/phone/questions", "identifier" },
    };

    private static readonly Dictionary<string, string?> QuestionsOn = new() { ["Recovery:SecurityQuestionsEnabled"] = "true" };

    [Theory]
    [MemberData(nameof(AnonymousStarts))]
    public async Task Start_NoToken_AttestationRequiredNothingLookedUp(string path, string field)
    {
        await using var app = await TestApp.StartAsync(QuestionsOn);
        app.StorageRequests.Reset();

        var response = await SendAsync(app, path, field, NewPhone(), token: null);

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "attestation_required");
        Assert.Equal(0, app.StorageRequests.Count);
    }

    [Theory]
    [MemberData(nameof(AnonymousStarts))]
    public async Task Start_WrongToken_AttestationFailedNothingLookedUp(string path, string field)
    {
        await using var app = await TestApp.StartAsync(QuestionsOn);
        app.StorageRequests.Reset();

        var response = await SendAsync(app, path, field, NewPhone(), token: TestApp.AttestationToken + "x");

        await ProblemAssert.IsProblem(response, HttpStatusCode.Forbidden, "attestation_failed");
        Assert.Equal(0, app.StorageRequests.Count);
    }

    [Theory]
    [MemberData(nameof(AnonymousStarts))]
    public async Task Start_ValidToken_Created(string path, string field)
    {
        await using var app = await TestApp.StartAsync(QuestionsOn);

        var response = await SendAsync(app, path, field, NewPhone(), token: TestApp.AttestationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task PasswordReset_WrongToken_SameAnswerKnownAndUnknownNothingSent()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone, email: NewEmail());

        var known = await SendAsync(app, "/api/password/reset", "identifier", phone, token: "forged");
        var unknown = await SendAsync(app, "/api/password/reset", "identifier", NewPhone(), token: "forged");

        await ProblemAssert.IsProblem(known, HttpStatusCode.Forbidden, "attestation_failed");
        await SignInPage.AssertAlikeAsync(known, unknown);
        Assert.Empty(await new FlowClient(app.Client).InboxAsync(phone));
    }

    [Fact]
    public async Task SignUp_ModeOffInDevelopment_NoTokenNeeded()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Attestation:Mode"] = "Off" });

        var response = await SendAsync(app, "/api/signup", "phone", FlowClient.NewPhone(), token: null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task SignUp_IntegratorsAttestation_IsTheOneAsked()
    {
        var attestation = new RecordingAttestation();
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<IClientAttestation>(attestation));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/signup") { Content = JsonContent.Create(new { phone = FlowClient.NewPhone() }) };
        request.Headers.Add("Idempotency-Key", "0f8fad5b-d9cb-469f-a165-70867728950e");
        request.Headers.Add(TestApp.AttestationHeader, "platform-token");

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var (token, context) = Assert.Single(attestation.Calls);
        Assert.Equal("platform-token", token);
        Assert.Equal("StartSignUp", context.Operation);
        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", context.IdempotencyKey);
        Assert.NotNull(context.RequestHash);
    }

    [Fact]
    public void Create_ProductionWithDevelopmentAttestation_FailsNamingTheSetting()
    {
        var root = Directory.CreateTempSubdirectory("rebind-attest-").FullName;

        var error = Assert.Throws<InvalidOperationException>(() =>
            Functions.RebindApp.Create([], TestApp.Startable(("Attestation:AllowInsecure", null)), root));

        Assert.Contains("Attestation__AllowInsecure", error.Message);
    }

    [Fact]
    public async Task Create_ProductionWithRealAttestation_Starts()
    {
        var root = Directory.CreateTempSubdirectory("rebind-attest-").FullName;

        await using var app = Functions.RebindApp.Create([], b =>
        {
            TestApp.Startable(("Attestation:AllowInsecure", null), ("Attestation:DevToken", null))(b);
            b.Services.AddSingleton<IClientAttestation>(new RecordingAttestation());
        }, root);

        Assert.IsType<RecordingAttestation>(app.Services.GetRequiredService<IClientAttestation>());
    }

    /// <summary>
    /// Sends exactly the token given: the test app's client attests every request by default (a request's own header
    /// wins over it), so a request without one goes through a client of its own.
    /// </summary>
    private static async Task<HttpResponseMessage> SendAsync(TestApp app, string path, string field, string value, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new Dictionary<string, string> { [field] = value }) };
        if (token is null)
        {
            using var bare = new HttpClient { BaseAddress = app.Client.BaseAddress };
            return await bare.SendAsync(request);
        }
        request.Headers.Add(TestApp.AttestationHeader, token);
        return await app.Client.SendAsync(request);
    }

    /// <summary>Stands in for a real platform check (it "proves" the client), recording what it was asked.</summary>
    private sealed class RecordingAttestation : IClientAttestation
    {
        public System.Collections.Concurrent.ConcurrentQueue<(string? Token, AttestationContext Context)> Calls { get; } = new();

        public bool ProvesClient => true;

        public Task<AttestationResult> VerifyAsync(string? token, AttestationContext context, CancellationToken cancellationToken)
        {
            Calls.Enqueue((token, context));
            return Task.FromResult(token is null ? AttestationResult.Missing : AttestationResult.Valid);
        }
    }
}
