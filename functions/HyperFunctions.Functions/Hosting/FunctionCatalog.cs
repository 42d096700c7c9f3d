namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// The function.json definitions joined with their implementations. Start-up fails if a definition has
/// no implementation or an implementation no definition, so the deployed layout and the code cannot drift.
/// </summary>
public sealed class FunctionCatalog
{
    private readonly Dictionary<string, FunctionDefinition> _definitions;
    private readonly Dictionary<string, IFunction> _functions;

    public FunctionCatalog(IEnumerable<FunctionDefinition> definitions, IEnumerable<IFunction> functions)
    {
        _definitions = definitions.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        _functions = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        var errors = _definitions.Keys.Except(_functions.Keys, StringComparer.OrdinalIgnoreCase).Select(n => $"{n}/function.json has no implementation.")
            .Concat(_functions.Keys.Except(_definitions.Keys, StringComparer.OrdinalIgnoreCase).Select(n => $"Function {n} has no function.json."))
            .Concat(_definitions.Values.Where(d => !Matches(d, _functions.GetValueOrDefault(d.Name))).Select(d => $"{d.Name}: function.json says {d.Trigger} but the implementation is another kind."))
            .ToList();
        if (errors.Count > 0) throw new InvalidOperationException("Function catalog mismatch: " + string.Join(" ", errors));
    }

    public IEnumerable<FunctionDefinition> Definitions => _definitions.Values;

    public FunctionDefinition? Find(string name) => _definitions.GetValueOrDefault(name);

    public TFunction Get<TFunction>(string name) where TFunction : class, IFunction =>
        _functions.GetValueOrDefault(name) as TFunction ?? throw new KeyNotFoundException($"No {typeof(TFunction).Name} named {name}.");

    public IEnumerable<(FunctionDefinition Definition, TFunction Function)> OfKind<TFunction>(TriggerKind kind) where TFunction : class, IFunction =>
        _definitions.Values.Where(d => d.Trigger == kind).Select(d => (d, Get<TFunction>(d.Name)));

    private static bool Matches(FunctionDefinition d, IFunction? f) => d.Trigger switch
    {
        TriggerKind.Timer => f is ITimerFunction,
        TriggerKind.Queue => f is IQueueFunction,
        TriggerKind.Http => f is IHttpFunction,
        _ => false,
    };
}
