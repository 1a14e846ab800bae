namespace Webhooks.Receiver.Tests.Support;

/// <summary>Fixed signing secrets in the sender's format: <c>whsec_</c> + base64 of 32 bytes.</summary>
internal static class TestSecrets
{
    public const string Current = "whsec_K7n2xQ9v4LmP0aR8sT3uW6yZ1bC5dE9fG2hJ4kM7nPQ=";

    public const string Previous = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    public const string Unrelated = "whsec_//////////////////////////////////////////4=";
}
