namespace Webhooks.Functions.Delivery;

/// <summary>
/// No bearer token could be had for an attempt (the token endpoint failed, refused or was blocked): the attempt fails
/// with <c>oauth2: </c> and this message as its error, and is retried like any other.
/// </summary>
internal sealed class BearerTokenException : Exception
{
    public BearerTokenException()
    {
    }

    public BearerTokenException(string message) : base(message)
    {
    }

    public BearerTokenException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The token endpoint's address was refused by the SSRF guard.</summary>
    public bool Blocked { get; init; }

    /// <summary>The token endpoint gave no answer in time.</summary>
    public bool TimedOut { get; init; }
}
