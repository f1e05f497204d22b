using System.Net;
using System.Net.Http.Headers;
using Rebind.Functions.Tests.Infrastructure;

namespace Rebind.Functions.Tests;

/// <summary>Tokens, flows and account data never sit in a cache: every answer says <c>no-store</c>.</summary>
public sealed class CacheControlTests
{
    [Fact]
    public async Task Answers_TokenFlowAccountAndProblem_CarryNoStore()
    {
        await using var app = await TestApp.StartAsync();
        var phone = Accounts.NewPhone();
        await Accounts.SeedAsync(app, phone);
        var flows = new FlowClient(app.Client);

        using var signIn = await Accounts.PostSignInAsync(app, phone);
        var token = (await FlowClient.OkJson(signIn)).GetProperty("token").GetString()!;
        using var meRequest = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        meRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var me = await app.Client.SendAsync(meRequest);
        using var flow = await flows.StartSignUpAsync(FlowClient.NewPhone());
        using var problem = await app.Client.GetAsync("/api/flows/not-a-flow");

        foreach (var response in new[] { signIn, me, flow, problem })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri!.AbsolutePath} lacks Cache-Control: no-store");
        }
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.Created, flow.StatusCode);
    }
}
