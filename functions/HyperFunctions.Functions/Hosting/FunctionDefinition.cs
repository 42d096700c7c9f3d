namespace HyperFunctions.Functions.Hosting;

public enum TriggerKind
{
    Http,
    Timer,
    Queue,
}

/// <summary>Who may call an HTTP function, as function.json's authLevel says.</summary>
public enum AuthLevel
{
    Anonymous,
    Function,
    Admin,
}

/// <summary>One function as its function.json describes it: the single source for trigger, schedule, queue and auth level.</summary>
public sealed record FunctionDefinition(
    string Name,
    TriggerKind Trigger,
    string BindingName,
    string? Schedule = null,
    string? QueueName = null,
    AuthLevel AuthLevel = AuthLevel.Function,
    string? Route = null,
    IReadOnlyList<string>? Methods = null);
