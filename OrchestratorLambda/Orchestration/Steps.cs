namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>The orchestration's steps, named in every problem a step's failure causes.</summary>
public static class Steps
{
    public const string ValidateCustomer = "validate_customer";
    public const string CreateOrder = "create_order";
}
