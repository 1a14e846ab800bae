namespace Webhooks.Functions.Api;

/// <summary>The team an authenticated <c>/v1</c> request acts for.</summary>
internal static class CurrentTeam
{
    private const string ItemKey = "webhooks.team";

    public static void Set(HttpContext context, string teamId) => context.Items[ItemKey] = teamId;

    public static string Id(HttpContext context) =>
        context.Items[ItemKey] as string ?? throw new InvalidOperationException("The route is not behind API key authentication.");
}
