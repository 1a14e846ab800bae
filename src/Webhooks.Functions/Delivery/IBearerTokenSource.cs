namespace Webhooks.Functions.Delivery;

/// <summary>The bearer tokens of one destination (an OAuth 2.0 client): held and shared by the attempts of a process.</summary>
internal interface IBearerTokenSource
{
    /// <summary>A token to send now: the one held, or a new one. A token that cannot be had throws <see cref="BearerTokenException"/>.</summary>
    Task<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>The receiver refused <paramref name="token"/> (<c>401</c>): it is dropped, so the next attempt gets a new one.</summary>
    void Reject(string token);
}
