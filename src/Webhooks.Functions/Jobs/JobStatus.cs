namespace Webhooks.Functions.Jobs;

/// <summary>The states of a job and of its items and pages, as the API shows them.</summary>
internal static class JobStatus
{
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Pending = "pending";

    public static bool IsFinal(string status) => status is Completed or Failed;
}
