using Azure;
using Webhooks.Functions.Events;

namespace Webhooks.Functions.Jobs;

/// <summary>A committed settle: the job row's new ETag, and the event it raised when it ended the job (to publish).</summary>
internal sealed record JobSettle(ETag? JobETag, RaisedEvent? Raised)
{
    public bool EndedJob => Raised is not null;
}
