using Webhooks.Functions.Hosting;

await AppHost.RunAsync(args);
