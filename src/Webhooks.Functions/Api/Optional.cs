namespace Webhooks.Functions.Api;

/// <summary>A value that may be absent, as distinct from present and null (PATCH semantics).</summary>
internal readonly record struct Optional<T>(bool HasValue, T Value)
{
    public static Optional<T> Absent => default;
    public static Optional<T> Of(T value) => new(true, value);
}
