var app = Rebind.Functions.RebindApp.Create(args);
app.Run();
