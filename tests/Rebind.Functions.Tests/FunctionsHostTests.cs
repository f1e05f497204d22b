using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Rebind.Testing;

namespace Rebind.Functions.Tests;

/// <summary>
/// The app as the Functions host starts it: a separate process told its port through
/// FUNCTIONS_CUSTOMHANDLER_PORT, invoked for the timer function by POST /Cleanup.
/// </summary>
public sealed class FunctionsHostTests
{
    [Fact]
    public async Task CustomHandler_PortFromHost_ListensOnLoopbackAndAnswersTimerInvocation()
    {
        var port = Azurite.FreePort();
        using var process = StartHandler(port);
        try
        {
            await WaitForListeningAsync(port, process);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            var invocation = new
            {
                Data = new { timer = new { Schedule = new { AdjustForDST = true }, ScheduleStatus = (object?)null, IsPastDue = false } },
                Metadata = new { sys = new { MethodName = "Cleanup", UtcNow = DateTime.UtcNow } },
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/Cleanup") { Content = JsonContent.Create(invocation) };
            request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
            var response = await client.SendAsync(request);

            Assert.True(response.IsSuccessStatusCode, $"status {(int)response.StatusCode}");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
            Assert.NotEmpty(body.GetProperty("Logs").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);

            var health = await client.GetAsync("/api/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task TimerInvocation_StorageDown_FailsInvocationWithLogs()
    {
        await using var app = await Infrastructure.TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.UnreachableConnectionString,
        });

        var response = await app.Client.PostAsync("/Cleanup", JsonContent.Create(new { Data = new { }, Metadata = new { } }));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("flows=failed", body.GetProperty("Logs")[0].GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
    }

    private static Process StartHandler(int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Rebind.Functions.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Directory.CreateTempSubdirectory("rebind-host-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString();
        info.Environment["Storage__ConnectionString"] = Azurite.ConnectionString;
        info.Environment["Storage__TablePrefix"] = "h" + Guid.NewGuid().ToString("N")[..10];
        info.Environment["ASPNETCORE_URLS"] = null;
        // Production start-up refuses to run without code keys.
        info.Environment["Codes__CurrentKeyId"] = "test";
        info.Environment["Codes__Keys__test"] = Infrastructure.TestApp.TestCodeKey;
        // ... and without ACS (it never falls back to the development inbox outside Development).
        info.Environment["Acs__ConnectionString"] = Infrastructure.TestApp.UnusedAcsConnectionString;
        // ... and without a client attestation that proves something, unless told so.
        info.Environment["Attestation__DevToken"] = Infrastructure.TestApp.AttestationToken;
        info.Environment["Attestation__AllowInsecure"] = "true";
        // ... and with the placeholder "this wasn't me" link.
        info.Environment["Recovery__ReportUrlFormat"] = Infrastructure.TestApp.ReportUrlFormat;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForListeningAsync(int port, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"the handler exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        Assert.Fail($"the handler did not listen on 127.0.0.1:{port} within 30 s");
    }
}
