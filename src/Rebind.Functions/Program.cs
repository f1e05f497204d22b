// One app, two hosts: started by the Functions host it is the isolated worker; started any other way (./run.sh,
// `dotnet run`) it is the local host, with the Durable Task sidecar on Azurite. See the README, "Two hosts".
if (Rebind.Functions.Worker.FunctionsWorker.IsStartedByHost(args))
{
    Rebind.Functions.Worker.FunctionsWorker.Build(args).Run();
}
else
{
    Rebind.Functions.RebindApp.Create(args).Run();
}
