namespace Challenge.Data;

public static class Clock
{
    /// <summary>Now, cut to the millisecond that a DATETIME(3) column keeps, so what is stored is what is returned.</summary>
    public static DateTime UtcNowMilliseconds(this TimeProvider time)
    {
        var ticks = time.GetUtcNow().UtcTicks;
        return new DateTime(ticks - ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
