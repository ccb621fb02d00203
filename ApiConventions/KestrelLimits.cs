namespace Challenge.ApiConventions;

public static class KestrelLimits
{
    public const long MaxRequestBodyBytes = 64 * 1024;
}
