using Rebind.Functions.Tests.Infrastructure;

namespace Rebind.Functions.Tests;

/// <summary>Decoy questions never move with the code keys: a rotation must not tell accounts from non-accounts.</summary>
public sealed class DecoyKeyTests
{
    private const string DecoyKey = "ZGVjb3kta2V5LWZvci10ZXN0cy1vbmx5LW5vdC1zZWNyZXQtMDE=";

    [Fact]
    public void Create_ProductionQuestionsOnWithoutDecoyKey_FailsNamingTheSetting()
    {
        var root = Directory.CreateTempSubdirectory("rebind-nodecoy-").FullName;

        var error = Assert.Throws<InvalidOperationException>(() =>
            Functions.RebindApp.Create([], TestApp.Startable(("Recovery:SecurityQuestionsEnabled", "true")), root));

        Assert.Contains("Recovery__DecoyKey", error.Message);
    }

    [Fact]
    public async Task RecoveryByQuestions_CodeKeyRotated_SameDecoys()
    {
        var phone = Accounts.NewPhone();
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var before = await DecoysAsync(prefix, phone, "k1", TestApp.TestCodeKey);
        var after = await DecoysAsync(prefix, phone, "k2", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

        Assert.Equal(3, before.Count);
        Assert.Equal(before, after);
    }

    private static async Task<List<string>> DecoysAsync(string prefix, string phone, string keyId, string key)
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Recovery:SecurityQuestionsEnabled"] = "true",
            ["Recovery:DecoyKey"] = DecoyKey,
            ["Codes:CurrentKeyId"] = keyId,
            [$"Codes:Keys:{keyId}"] = key,
        }, tablePrefix: prefix);
        var view = await FlowClient.OkJson(await SignInPage.StartAsync(app, "/api/recovery/phone/questions", phone));
        return view.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("id").GetString()!).ToList();
    }
}
