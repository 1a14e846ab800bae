namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// Test classes whose load would slow every test beside them, or be slowed by them past a storage timeout on a machine
/// of two cores: xunit runs this collection after all the others, one class at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "Runs alone";
}
