namespace Webhooks.Functions.Endpoints;

/// <summary>The limits of an endpoint's fields (SPEC §8), shared by the API and the portal.</summary>
internal static class EndpointRules
{
    public const int MaxDescriptionLength = 500;
    public const int MinRateLimitPerSecond = 1;
    public const int MaxRateLimitPerSecond = 10_000;
}
