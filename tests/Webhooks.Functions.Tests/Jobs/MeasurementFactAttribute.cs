namespace Webhooks.Functions.Tests.Jobs;

/// <summary>A measurement, not a test: skipped unless <c>JOBS_MEASURE=1</c> is set, so it only runs by hand.</summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("JOBS_MEASURE") != "1")
        {
            Skip = "Measurement: run with JOBS_MEASURE=1";
        }
    }
}
