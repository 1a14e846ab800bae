namespace Webhooks.Functions.Retention;

/// <summary>What <see cref="JobPartitionEraser"/> did with one partition of the jobs table.</summary>
internal enum PartitionOutcome
{
    /// <summary>Everything of it is gone (or nothing was there).</summary>
    Erased,

    /// <summary>Retention keeps it: a delivery is pending or parked, or something in it is younger than the cutoff.</summary>
    Kept,

    /// <summary>An orchestration of it is still running (or was just terminated): the next pass tries again.</summary>
    NotYet,
}
