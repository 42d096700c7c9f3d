namespace HyperFunctions.Domain.Safety;

/// <summary>What an order intent asks the venue to do.</summary>
public enum OrderAction
{
    Place,
    Cancel,
}

/// <summary>The facts about an order the gate needs: whether it places or cancels, and whether it is reduce-only.</summary>
public readonly record struct GateRequest(OrderAction Action, bool ReduceOnly);

/// <summary>The gate's answer; <see cref="Reason"/> explains a refusal in words an operator understands.</summary>
public readonly record struct GateDecision(bool Admitted, string Reason)
{
    public static GateDecision Admit(string reason) => new(true, reason);
    public static GateDecision Refuse(string reason) => new(false, reason);
}

/// <summary>
/// The single function every order passes. ARMED_LIVE admits everything, ARMED_SAFE only reduce-only
/// orders, HALT no new orders. Cancels are always admitted: removing risk is never blocked.
/// </summary>
public static class OrderGate
{
    public static GateDecision Evaluate(SafetyMode mode, GateRequest request)
    {
        if (request.Action == OrderAction.Cancel) return GateDecision.Admit("Cancels are always allowed.");
        return mode switch
        {
            SafetyMode.ArmedLive => GateDecision.Admit("ARMED_LIVE admits all orders."),
            SafetyMode.ArmedSafe when request.ReduceOnly => GateDecision.Admit("ARMED_SAFE admits reduce-only orders."),
            SafetyMode.ArmedSafe => GateDecision.Refuse("ARMED_SAFE admits only reduce-only orders."),
            _ => GateDecision.Refuse("HALT admits no orders (cancels only)."),
        };
    }
}
