namespace Webhooks.Functions.Hosting.Durable;

/// <summary>
/// Serializes orchestration inputs for DurableTask.Core's client exactly as the durabletask-dotnet shims read them
/// (System.Text.Json), instead of DurableTask.Core's default Newtonsoft converter.
/// </summary>
internal sealed class ShimDataConverter(Microsoft.DurableTask.DataConverter converter) : DurableTask.Core.Serializing.DataConverter
{
    public override string? Serialize(object? value) => converter.Serialize(value);

    public override string? Serialize(object? value, bool formatted) => converter.Serialize(value);

    public override object? Deserialize(string? data, Type objectType) => converter.Deserialize(data, objectType);
}
