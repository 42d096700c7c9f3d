using HyperFunctions.Domain.Failover;

namespace HyperFunctions.Functions.Failover;

/// <summary>What a hook is asked to do: the step's hook and the run it belongs to.</summary>
public sealed record HookContext(HookSpec Hook, string RunId, FailoverKind Kind, string FromSite, string ToSite, string Actor, string Reason);

/// <summary>How a hook's run (or rollback, or finish) ended, in one line an operator reads.</summary>
public sealed record HookResult(bool Succeeded, string Detail)
{
    public static HookResult Ok(string detail) => new(true, detail);
    public static HookResult Fail(string detail) => new(false, detail);
}

/// <summary>A condition a step needs, and whether it holds now.</summary>
public sealed record Precondition(string Description, bool Holds, string? Detail = null);

/// <summary>What a dry-run shows for a step: what it would do and its preconditions evaluated now.</summary>
public sealed record HookPreview(string WouldDo, IReadOnlyList<Precondition> Preconditions);

/// <summary>
/// One kind of hook (<c>Failover:Hooks[].Kind</c>). Built-in kinds live in this folder; code adds its own with
/// <see cref="FailoverServiceCollectionExtensions.AddFailoverHookKind{T}"/> (the DNS switch arrives that way).
/// A hook must be safe to run again (a run that died mid-step is resumed at that step).
/// </summary>
public interface IFailoverHookKind
{
    /// <summary>The name configuration uses, e.g. <c>http</c>.</summary>
    string Kind { get; }

    /// <summary>Problems with the hook's settings, checked when the app starts (each names the setting).</summary>
    IEnumerable<string> Validate(HookSpec hook, string key) => [];

    Task<HookPreview> PreviewAsync(HookContext context, CancellationToken ct);

    Task<HookResult> RunAsync(HookContext context, CancellationToken ct);

    /// <summary>Undoes <see cref="RunAsync"/> when the run rolls back; null when there is nothing to undo.</summary>
    Task<HookResult?> RollBackAsync(HookContext context, CancellationToken ct) => Task.FromResult<HookResult?>(null);

    /// <summary>Runs once the run has succeeded (e.g. lift the temporary safety condition); null when there is nothing to do.</summary>
    Task<HookResult?> FinishAsync(HookContext context, CancellationToken ct) => Task.FromResult<HookResult?>(null);
}

/// <summary>The registered hook kinds by name; the configured hook list checked against them at start.</summary>
public sealed class FailoverHookRegistry
{
    private readonly Dictionary<string, IFailoverHookKind> _kinds;

    public FailoverHookRegistry(IEnumerable<IFailoverHookKind> kinds, FailoverConfig config)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(config);
        _kinds = new Dictionary<string, IFailoverHookKind>(StringComparer.Ordinal);
        foreach (var kind in kinds) _kinds[kind.Kind] = kind; // a later registration replaces an earlier one of the same name
        var errors = new List<string>();
        for (var i = 0; i < config.Hooks.Count; i++)
        {
            var hook = config.Hooks[i];
            var key = $"Failover:Hooks (hook '{hook.Name}')";
            if (!_kinds.TryGetValue(hook.Kind, out var kind))
                errors.Add($"{key}: Kind '{hook.Kind}' is not registered; known kinds: {string.Join(", ", _kinds.Keys.Order(StringComparer.Ordinal))}.");
            else
                errors.AddRange(kind.Validate(hook, key));
        }
        if (errors.Count > 0) throw new Configuration.ConfigurationValidationException(errors);
    }

    public IReadOnlyCollection<string> Kinds => _kinds.Keys;

    public IFailoverHookKind Get(string kind) =>
        _kinds.TryGetValue(kind, out var found) ? found : throw new InvalidOperationException($"Hook kind '{kind}' is not registered.");
}
