using System.IO.Compression;
using System.Reflection;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Functions.Worker;

namespace Rebind.Functions.Tests;

/// <summary>
/// <c>infra/</c> (Bicep) against the app: it compiles and lints clean; its snapshot (what a deployment would create,
/// evaluated offline by <c>bicep snapshot</c>) deploys a Flex Consumption app reached by its managed identity; every
/// app setting it sets is one the app (or the Functions host) reads, and those settings are enough for the worker to
/// start in Production; no output carries a secret; and <c>./package.sh</c> builds the package layout Flex runs.
/// </summary>
public sealed partial class InfraTests(InfraTests.Deployment deployment) : IClassFixture<InfraTests.Deployment>
{
    [Fact]
    public void Build_MainBicep_CompilesWithoutWarnings()
    {
        var build = deployment.Build;

        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.True(string.IsNullOrWhiteSpace(build.Output + build.Error), build.Describe());
        Assert.NotEmpty(deployment.Template.GetProperty("resources").EnumerateObject());
    }

    [Fact]
    public async Task Lint_EveryBicepFile_HasNoWarnings()
    {
        var infra = Path.Combine(RepositoryRoot(), "infra");
        var files = Directory.GetFiles(infra, "*.bicep", SearchOption.AllDirectories).Append(Path.Combine(infra, "main.bicepparam")).ToList();

        Assert.Contains(files, f => f.EndsWith(Path.Combine("modules", "appsettings.bicep"), StringComparison.Ordinal));
        foreach (var file in files)
        {
            var lint = await BicepCli.RunAsync(infra, Deployment.ParameterEnvironment, "lint", file);
            Assert.True(lint.ExitCode == 0 && string.IsNullOrWhiteSpace(lint.Output + lint.Error), $"{file}: {lint.Describe()}");
        }
    }

    [Fact]
    public void Snapshot_FunctionAppOnFlexConsumption_WithItsIdentitysRoles()
    {
        var plan = deployment.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());

        var site = deployment.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.Equal("SystemAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        Assert.Equal("api", site.GetProperty("tags").GetProperty("azd-service-name").GetString());
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        // The version Flex runs is the one the worker is built for.
        var framework = typeof(RebindApp).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
        Assert.Equal(".NETCoreApp,Version=v" + deployment.RuntimeVersion, framework);
        var package = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("SystemAssignedIdentity", package.GetProperty("authentication").GetProperty("type").GetString());
        var container = deployment.Single("Microsoft.Storage/storageAccounts/blobServices/containers").GetProperty("name").GetString()!.Split('/')[^1];
        Assert.EndsWith($".primaryEndpoints.blob, '{container}')]", package.GetProperty("value").GetString());

        var storage = deployment.Single("Microsoft.Storage/storageAccounts");
        Assert.False(storage.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(deployment.Single("Microsoft.KeyVault/vaults").GetProperty("properties").GetProperty("enableRbacAuthorization").GetBoolean());
        var domain = deployment.Single("Microsoft.Communication/emailServices/domains");
        Assert.Equal("AzureManaged", domain.GetProperty("properties").GetProperty("domainManagement").GetString());
        Assert.Equal(
            domain.GetProperty("id").GetString(),
            Assert.Single(deployment.Single("Microsoft.Communication/communicationServices").GetProperty("properties").GetProperty("linkedDomains").EnumerateArray()).GetString());

        // Role definition ids are Azure's built-in roles (the same in every tenant).
        var granted = deployment.Resources("Microsoft.Authorization/roleAssignments")
            .Select(r =>
            {
                Assert.Matches($@"^\[reference\('{Regex.Escape(site.GetProperty("id").GetString()!)}', '[^']+', 'full'\)\.identity\.principalId\]$",
                    r.GetProperty("properties").GetProperty("principalId").GetString());
                var scope = RoleAssignmentScope().Match(r.GetProperty("id").GetString()!).Groups["scope"].Value;
                return (Scope: ResourceTypeOf(scope), Role: r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.Split('/')[^1]);
            })
            .OrderBy(g => g.Scope).ThenBy(g => g.Role)
            .ToList();
        Assert.Equal(
            [
                ("Microsoft.Communication/communicationServices", "b24988ac-6180-42a0-ab88-20f7382dd24c"), // Contributor
                ("Microsoft.KeyVault/vaults", "4633458b-17de-408a-b874-0445c86b69e6"),                     // Key Vault Secrets User
                ("Microsoft.Storage/storageAccounts", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"),             // Storage Table Data Contributor
                ("Microsoft.Storage/storageAccounts", "974c5e8b-45b9-4653-ba55-5f855dd0fb88"),             // Storage Queue Data Contributor
                ("Microsoft.Storage/storageAccounts", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"),             // Storage Blob Data Owner
            ],
            granted);
    }

    [Fact]
    public void AppSettings_EachIsReadByTheAppOrIsAHostSetting()
    {
        var settings = deployment.DummyAppSettings();
        var values = AsConfiguration(settings);
        values["Rebind:NotASetting"] = "x";
        var recording = new RecordingConfigurationSource(values);

        using (BuildWorker(recording))
        {
        }

        // The control: a key nobody reads is not recorded as read.
        Assert.False(recording.WasRead("Rebind:NotASetting"));
        var unread = settings.Keys.Where(name => !IsHostSetting(name) && !recording.WasRead(ConfigurationKey(name))).ToList();
        Assert.True(unread.Count == 0, "set by infra/ but never read by the app: " + string.Join(", ", unread));
        Assert.Contains(settings.Keys, name => !IsHostSetting(name));
    }

    [Fact]
    public void AppSettings_StartTheWorkerInProduction_AndTheRequiredOnesStopItWhenMissing()
    {
        var settings = deployment.DummyAppSettings();

        using (BuildWorker(new RecordingConfigurationSource(AsConfiguration(settings))))
        {
        }

        var required = new List<string>();
        foreach (var name in settings.Keys)
        {
            var without = AsConfiguration(settings.Where(s => s.Key != name).ToDictionary());
            try
            {
                using (BuildWorker(new RecordingConfigurationSource(without)))
                {
                }
            }
            catch (InvalidOperationException)
            {
                // The app's own start-up checks (Hosting/, Attestation/) throw this, naming what to set.
                required.Add(name);
            }
        }

        // What the app refuses to start without outside Development (README, Configuration), each found by removal.
        Assert.Equal(["Acs", "Attestation", "Codes", "Recovery", "Storage"], required.Select(r => r.Split("__")[0]).Distinct().Order());
        Assert.Contains("Codes__Keys__" + deployment.CurrentCodeKeyId, required);
        Assert.DoesNotContain("Codes__Keys__" + deployment.RetiredCodeKeyId, required);
    }

    [Fact]
    public void AppSettings_HostStorageIsIdentityBased_SecretsAreKeyVaultReferences_AndFlexAcceptsThem()
    {
        var settings = deployment.AppSettings;
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Rebind.Functions", "host.json")));
        var durableConnection = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask")
            .GetProperty("storageProvider").GetProperty("connectionName").GetString()!;

        // The host's timers and the Durable task hub connect with the identity: an account name, never a key.
        Assert.Equal(deployment.Single("Microsoft.Storage/storageAccounts").GetProperty("name").GetString(), settings[durableConnection + "__accountName"]);
        Assert.Equal(deployment.Single("Microsoft.Storage/storageAccounts").GetProperty("name").GetString(), settings["AzureWebJobsStorage__accountName"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain("Storage__ConnectionString", settings.Keys);
        Assert.DoesNotContain("Acs__ConnectionString", settings.Keys);
        // Flex Consumption refuses these as app settings (the runtime and the package are in functionAppConfig).
        string[] refusedByFlex = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"];
        Assert.Empty(settings.Keys.Intersect(refusedByFlex, StringComparer.OrdinalIgnoreCase));

        // The secrets' values never reach the settings: each is a reference to its Key Vault secret.
        var secretSettings = settings.Where(s => s.Key.StartsWith("Codes__Keys__", StringComparison.Ordinal) || s.Key == "Attestation__DevToken").ToList();
        Assert.Equal(3, secretSettings.Count);
        Assert.All(secretSettings, s => Assert.Matches(@"^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}secrets/\{1\}\)', reference\('[^']+/Microsoft\.KeyVault/vaults/[^']+', '[^']+'\)\.vaultUri, '[a-z0-9-]+'\)\]$", s.Value));
        Assert.Equal(deployment.CurrentCodeKeyId, settings["Codes__CurrentKeyId"]);
        Assert.All(settings.Values, v => Assert.DoesNotContain(deployment.CodeKey, v));
        Assert.All(settings.Values, v => Assert.DoesNotContain(deployment.AttestationToken, v));
    }

    [Fact]
    public void Outputs_HoldNoSecret_AndGiveTheAppsUrl()
    {
        // Every template's outputs, the modules' included: no list*() (keys, connection strings), no connection string
        // property, no secure parameter, no Key Vault secret.
        var checkedOutputs = 0;
        foreach (var template in Templates(deployment.Template))
        {
            var secure = template.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateObject().Where(p => p.Value.GetProperty("type").GetString() is "securestring" or "secureObject").Select(p => p.Name).ToList()
                : [];
            if (!template.TryGetProperty("outputs", out var outputs))
            {
                continue;
            }
            foreach (var output in outputs.EnumerateObject())
            {
                var text = output.Value.GetRawText();
                Assert.DoesNotMatch(@"\blist[A-Za-z]*\(", text);
                Assert.DoesNotContain("connectionstring", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("secrets", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("secure", output.Value.GetProperty("type").GetString()!, StringComparison.OrdinalIgnoreCase);
                Assert.All(secure, p => Assert.DoesNotContain($"parameters('{p}')", text));
                checkedOutputs++;
            }
        }
        Assert.True(checkedOutputs >= 6, $"only {checkedOutputs} outputs found");

        var evaluated = deployment.Outputs;
        Assert.All(evaluated.Values, v => Assert.DoesNotContain(deployment.CodeKey, v));
        Assert.All(evaluated.Values, v => Assert.DoesNotContain(deployment.AttestationToken, v));
        var site = deployment.Single("Microsoft.Web/sites").GetProperty("id").GetString()!;
        Assert.Equal($"[format('https://{{0}}', reference('{site}', '2024-04-01').defaultHostName)]", evaluated["APP_URL"]);
        Assert.Equal($"[format('https://{{0}}/api', reference('{site}', '2024-04-01').defaultHostName)]", evaluated["API_BASE_URL"]);
    }

    [Fact]
    public void AzureYaml_DeploysTheFunctionsProjectToTheTaggedApp_FromInfra()
    {
        var root = RepositoryRoot();
        var yaml = File.ReadAllText(Path.Combine(root, "azure.yaml"));
        string Value(string key) => Regex.Match(yaml, $@"(?m)^\s*{key}:\s*(?<value>\S+)\s*$").Groups["value"].Value;

        Assert.True(File.Exists(Path.Combine(root, Value("project"), "Rebind.Functions.csproj")), Value("project"));
        Assert.True(File.Exists(Path.Combine(root, Value("path"), Value("module") + ".bicep")));
        Assert.True(File.Exists(Path.Combine(root, Value("path"), Value("module") + ".bicepparam")));
        Assert.Equal("function", Value("host"));
        Assert.Matches(@"(?m)^  api:\s*$", yaml);
        Assert.Equal("api", deployment.Single("Microsoft.Web/sites").GetProperty("tags").GetProperty("azd-service-name").GetString());
    }

    /// <summary>
    /// The zip <c>./package.sh</c> builds (what <c>az functionapp deployment source config-zip</c> uploads) has what the
    /// Flex Consumption host loads at its root, and the host extensions where <c>extensions.json</c> points.
    /// </summary>
    [Fact]
    public async Task Package_HasTheLayoutFlexConsumptionRuns()
    {
        var root = RepositoryRoot();
        var info = new System.Diagnostics.ProcessStartInfo("bash", ["package.sh"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using (var process = System.Diagnostics.Process.Start(info)!)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(8)).Token);
            Assert.True(process.ExitCode == 0, $"package.sh: exit {process.ExitCode}\n{await output}\n{await error}");
        }

        using var zip = ZipFile.OpenRead(Path.Combine(root, "artifacts", "functionapp.zip"));
        var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => Relative(e.FullName));
        string Read(string name) => new StreamReader(Assert.Contains(name, entries).Open()).ReadToEnd();

        foreach (var name in new[] { "host.json", "functions.metadata", "worker.config.json", "extensions.json", "Rebind.Functions.dll", "Rebind.Functions.runtimeconfig.json" })
        {
            Assert.Contains(name, entries.Keys);
        }
        Assert.DoesNotContain(entries.Keys, n => n.EndsWith("local.settings.json", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(root, "src", "Rebind.Functions", "host.json")), Read("host.json"));

        using var worker = JsonDocument.Parse(Read("worker.config.json"));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Contains(description.GetProperty("defaultWorkerPath").GetString()!, entries.Keys);

        using var extensions = JsonDocument.Parse(Read("extensions.json"));
        var hinted = extensions.RootElement.GetProperty("extensions").EnumerateArray()
            .Select(e => (Name: e.GetProperty("name").GetString()!, Path: Relative(e.GetProperty("hintPath").GetString()!)))
            .ToList();
        Assert.Contains(hinted, e => e.Name == "DurableTask");
        Assert.All(hinted, e => Assert.StartsWith(".azurefunctions/", e.Path));
        Assert.All(hinted, e => Assert.Contains(e.Path, entries.Keys));

        // Compiled ahead of time (ReadyToRun), the app and the packages it starts with: a cold start does not wait for the JIT.
        foreach (var name in new[] { "Rebind.Functions.dll", "Rebind.Core.dll", "Microsoft.DurableTask.Worker.Grpc.dll", "Azure.Data.Tables.dll" })
        {
            Assert.True(IsReadyToRun(entries[name]), $"{name} is IL only");
        }

        // The runtime the Bicep asks Flex for is the one the package is built for.
        using var runtime = JsonDocument.Parse(Read("Rebind.Functions.runtimeconfig.json"));
        Assert.Equal("net" + deployment.RuntimeVersion, runtime.RootElement.GetProperty("runtimeOptions").GetProperty("tfm").GetString());
        // Without dynamic PGO's instrumented copies of hot methods (README, "Load": peak RSS and CPU under load).
        Assert.False(runtime.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }

    /// <summary>
    /// Settings the Functions host reads, not the app: its own storage connection (identity-based: the account name
    /// and the credential kind; host.json names it for the Durable task hub too) and Application Insights.
    /// </summary>
    private static bool IsHostSetting(string name) =>
        name.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal) || name == "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Whether the assembly carries native code (a ReadyToRun header) beside its IL.</summary>
    private static bool IsReadyToRun(ZipArchiveEntry entry)
    {
        using var copy = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(copy);
        }
        copy.Position = 0;
        using var pe = new System.Reflection.PortableExecutable.PEReader(copy);
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static string Relative(string path) => path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;

    private static string ConfigurationKey(string settingName) => settingName.Replace("__", ":", StringComparison.Ordinal);

    private static Dictionary<string, string?> AsConfiguration(IReadOnlyDictionary<string, string> settings) =>
        settings.ToDictionary(s => ConfigurationKey(s.Key), s => (string?)s.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The worker as Azure starts it, in Production, with exactly these settings on top; built, not started.</summary>
    private static IHost BuildWorker(RecordingConfigurationSource settings) => FunctionsWorker.Build([], builder =>
    {
        builder.Environment.EnvironmentName = Environments.Production;
        ((IConfigurationBuilder)builder.Configuration).Add(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
    });

    private static IEnumerable<JsonElement> Templates(JsonElement template)
    {
        yield return template;
        var resources = template.GetProperty("resources");
        var list = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value) : resources.EnumerateArray();
        foreach (var resource in list)
        {
            if (resource.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                && properties.TryGetProperty("template", out var nested))
            {
                foreach (var inner in Templates(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string ResourceTypeOf(string resourceId)
    {
        var parts = resourceId.Split("/providers/")[^1].Split('/');
        return parts[0] + "/" + parts[1];
    }

    [GeneratedRegex(@"^\[extensionResourceId\('(?<scope>[^']+)'")]
    private static partial Regex RoleAssignmentScope();

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above the test binaries.");
    }

    /// <summary>
    /// <c>infra/</c> compiled (<c>bicep build</c>) and evaluated for one resource group (<c>bicep snapshot</c> of
    /// <c>main.bicepparam</c>, offline: values known only once deployed, such as endpoints, stay ARM expressions). The
    /// parameters describe an app mid-rotation: current code key k2, k1 still accepted.
    /// </summary>
    public sealed partial class Deployment : IAsyncLifetime
    {
        public string CurrentCodeKeyId => "k2";
        public string RetiredCodeKeyId => "k1";
        public string CodeKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        public string AttestationToken { get; } = "attestation-" + Guid.NewGuid().ToString("N");

        public static IReadOnlyDictionary<string, string> ParameterEnvironment { get; } = new Dictionary<string, string>
        {
            ["AZURE_ENV_NAME"] = "test",
            ["REBIND_REPORT_URL_FORMAT"] = "https://rebind.test/not-me?code={code}",
            ["REBIND_SMS_FROM"] = "+18005550100",
            ["REBIND_CODE_KEY_ID"] = "k2",
            ["REBIND_RETIRED_CODE_KEY_IDS"] = "k1",
            ["REBIND_CODE_KEY"] = "",
            ["REBIND_ATTESTATION_TOKEN"] = "",
        };

        public BicepCli.Result Build { get; private set; } = null!;
        public JsonElement Template { get; private set; }
        public IReadOnlyList<JsonElement> Predicted { get; private set; } = [];
        public IReadOnlyDictionary<string, string> AppSettings { get; private set; } = new Dictionary<string, string>();
        public IReadOnlyDictionary<string, string> Outputs { get; private set; } = new Dictionary<string, string>();
        public string RuntimeVersion { get; private set; } = "";

        public IEnumerable<JsonElement> Resources(string type) => Predicted.Where(r => r.GetProperty("type").GetString() == type);

        public JsonElement Single(string type) => Assert.Single(Resources(type));

        public async Task InitializeAsync()
        {
            var work = Directory.CreateTempSubdirectory("rebind-infra-").FullName;
            var infra = Path.Combine(work, "infra");
            CopyDirectory(Path.Combine(RepositoryRoot(), "infra"), infra);

            Build = await BicepCli.RunAsync(infra, null, "build", "main.bicep", "--outfile", Path.Combine(work, "main.json"));
            Template = File.Exists(Path.Combine(work, "main.json"))
                ? JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(work, "main.json"))).RootElement
                : default;

            var environment = new Dictionary<string, string>(ParameterEnvironment)
            {
                ["REBIND_CODE_KEY"] = CodeKey,
                ["REBIND_ATTESTATION_TOKEN"] = AttestationToken,
            };
            var snapshot = await BicepCli.RunAsync(infra, environment, "snapshot", "main.bicepparam", "--mode", "overwrite",
                "--subscription-id", "00000000-0000-0000-0000-000000000001", "--resource-group", "rg-rebind-test", "--location", "eastus2");
            Assert.True(snapshot.ExitCode == 0, snapshot.Describe());
            var root = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(infra, "main.snapshot.json"))).RootElement;
            Assert.Empty(root.GetProperty("diagnostics").EnumerateArray());
            Predicted = root.GetProperty("predictedResources").EnumerateArray().ToList();
            Outputs = root.GetProperty("outputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
            AppSettings = Resources("Microsoft.Web/sites/config").Single(r => r.GetProperty("name").GetString()!.EndsWith("/appsettings", StringComparison.Ordinal))
                .GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            RuntimeVersion = Single("Microsoft.Web/sites").GetProperty("properties").GetProperty("functionAppConfig")
                .GetProperty("runtime").GetProperty("version").GetString()!;
            Directory.Delete(work, recursive: true);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        /// <summary>
        /// The app settings as the app would see them once deployed: literal values as they are; a value only known in
        /// Azure (an ARM expression) replaced by a dummy of its shape: a Key Vault reference by a fresh 32-byte base64
        /// secret (a valid code key and token), a connection string by one, a formatted value by its format with a
        /// host name in the holes (an endpoint, a sender address), any other reference by an https URL.
        /// </summary>
        public IReadOnlyDictionary<string, string> DummyAppSettings() => AppSettings.ToDictionary(s => s.Key, s => Dummy(s.Value));

        private static string Dummy(string value)
        {
            if (!value.StartsWith('['))
            {
                return value;
            }
            var resolved = FormatCall().Match(value) is { Success: true } format
                ? Hole().Replace(format.Groups["format"].Value, "rebind-dummy.example")
                : value.EndsWith(".ConnectionString]", StringComparison.Ordinal)
                    ? "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://rebind-dummy.example/"
                    : "https://rebind-dummy.example/";
            return resolved.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal) ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : resolved;
        }

        [GeneratedRegex(@"^\[format\('(?<format>[^']*)'")]
        private static partial Regex FormatCall();

        [GeneratedRegex(@"\{\d+\}")]
        private static partial Regex Hole();

        private static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
            foreach (var dir in Directory.GetDirectories(from))
            {
                CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
            }
        }
    }
}
