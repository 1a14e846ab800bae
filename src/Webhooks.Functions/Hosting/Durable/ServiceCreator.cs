using DurableTask.Core;

namespace Webhooks.Functions.Hosting.Durable;

/// <summary>Hands DurableTask.Core a fresh orchestration or activity shim for each execution of <c>name</c>.</summary>
internal sealed class ServiceCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> _create;

    public ServiceCreator(string name, Func<T> create)
    {
        Name = name;
        Version = "";
        _create = create;
    }

    public override T Create() => _create();
}
