namespace Challenge.OperatorConsole.Access;

public static class ConsolePolicies
{
    /// <summary>Signed in, and holding the operator claim the deployment names (<see cref="ConsoleAccessOptions"/>).</summary>
    public const string Operator = "operator";
}
