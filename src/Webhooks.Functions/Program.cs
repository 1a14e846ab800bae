using Webhooks.Functions.Hosting;

var app = WebhooksApp.Build(WebhooksApp.CreateBuilder(args));
await app.RunAsync();
