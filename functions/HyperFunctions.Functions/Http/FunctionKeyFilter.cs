using System.Security.Cryptography;
using System.Text;
using HyperFunctions.Configuration;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Http;

/// <summary>
/// Keys as Azure Functions checks them (Microsoft Learn, "Azure Functions HTTP trigger", authorization
/// level): the key in the x-functions-key header or the code query parameter; a function-level route
/// accepts the function or the admin key, an admin-level route only the admin key. In custom-handler
/// mode the Functions host does this before forwarding, so the filter lets requests through.
/// </summary>
public sealed class FunctionKeyFilter(FunctionDefinition definition, HostingInfo hosting, LoadedConfiguration configuration) : IEndpointFilter
{
    public const string HeaderName = "x-functions-key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!hosting.ChecksKeys || definition.AuthLevel == AuthLevel.Anonymous) return await next(context);

        var request = context.HttpContext.Request;
        var presented = request.Headers[HeaderName].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        var isAdmin = Matches(presented, configuration.Secrets.AdminKey);
        var isFunction = Matches(presented, configuration.Secrets.FunctionKey);
        if (!isAdmin && !isFunction)
            return Problems.Create(StatusCodes.Status401Unauthorized, "Unauthorized", $"A valid key is required in the {HeaderName} header or the code query parameter.");
        if (definition.AuthLevel == AuthLevel.Admin && !isAdmin)
            return Problems.Create(StatusCodes.Status403Forbidden, "Forbidden", "This operation changes safety state and needs the admin key.");
        return await next(context);
    }

    /// <summary>Constant-time comparison so response timing does not leak how much of a key matched.</summary>
    private static bool Matches(string? presented, string? expected) =>
        presented is not null && expected is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
