using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Events;

/// <summary><c>POST /v1/deliveries/recover</c>: how many failed deliveries this call redelivered.</summary>
internal sealed record RecoverResponse(int Count) : IApiExample<RecoverResponse>
{
    public static RecoverResponse Example => new(3);
}
