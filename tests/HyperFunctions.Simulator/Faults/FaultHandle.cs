namespace HyperFunctions.Simulator;

/// <summary>A handle on an injected fault, to observe and remove it.</summary>
public sealed class FaultHandle
{
    private readonly SimulatorFaults _owner;
    private readonly ActiveFault _fault;

    internal FaultHandle(SimulatorFaults owner, ActiveFault fault)
    {
        _owner = owner;
        _fault = fault;
    }

    public long Id => _fault.Id;

    public FaultSpec Spec => _fault.Spec;

    public FaultKind Kind => _fault.Spec.Kind;

    /// <summary>How many times the fault took effect (connections hit, requests answered, orders rejected…).</summary>
    public int Applied => _owner.Read(() => _fault.Applied);

    /// <summary>Remaining count, if the fault is count-limited.</summary>
    public int? Remaining => _owner.Read(() => _fault.Remaining);

    /// <summary>Whether the fault can still take effect.</summary>
    public bool IsActive => _owner.IsLive(_fault);

    /// <summary>Ends the fault (silenced connections talk again).</summary>
    public void Remove() => _owner.Remove(Id);

    internal ActiveFault Fault => _fault;
}
