namespace Webhooks.Bench.Engine;

/// <summary>
/// DurableTask.Core's converter interface over Microsoft.DurableTask's: the client then writes orchestration inputs
/// with System.Text.Json, as the shims read them, instead of Newtonsoft.Json.
/// </summary>
internal sealed class CoreDataConverter(Microsoft.DurableTask.DataConverter inner) : DurableTask.Core.Serializing.DataConverter
{
    public override string? Serialize(object? value) => inner.Serialize(value);

    public override string? Serialize(object? value, bool formatted) => inner.Serialize(value);

    public override object? Deserialize(string? data, Type objectType) => inner.Deserialize(data, objectType);
}
