namespace HyperFunctions.Domain.Safety;

/// <summary>The outcome of asking the state machine to apply a command.</summary>
public abstract record SafetyDecision
{
    private SafetyDecision() { }

    /// <summary>Write <see cref="Next"/> and append <see cref="Record"/>, atomically.</summary>
    public sealed record Transition(SafetyState Next, SafetyTransition Record) : SafetyDecision;

    /// <summary>Nothing to write (already in the asked state, or a recovery condition not yet met).</summary>
    public sealed record NoChange(string Why) : SafetyDecision;

    /// <summary>The command is not allowed from the current state.</summary>
    public sealed record Rejected(string Code, string Why) : SafetyDecision;
}
