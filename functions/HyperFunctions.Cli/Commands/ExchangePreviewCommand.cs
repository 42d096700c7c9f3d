using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Cli.Commands;

/// <summary>
/// <c>hf exchange preview</c>: signs an L1 action with the key from HF_HL_PRIVATE_KEY and prints the exact
/// /exchange body. Nothing is sent; this is how an operator checks what a key would sign.
/// </summary>
public sealed class ExchangePreviewCommand : Command
{
    public const string PrivateKeyVariable = "HF_HL_PRIVATE_KEY";

    private static readonly JsonWriterOptions BodyWriterOptions = new()
    {
        // Operators read this output; keep '+', '<', non-ASCII etc. literal (still valid JSON).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly CliContext _context;

    private readonly Option<string> _action = new("--action")
    {
        Description = "The L1 action as JSON, or @path to read it from a file. Key order is kept: it is part of the hash.",
        Required = true,
    };

    private readonly Option<long> _nonce = new("--nonce")
    {
        Description = "The nonce: the current time in milliseconds since the epoch.",
        Required = true,
        CustomParser = result => ParseNonNegative(result, "--nonce"),
    };

    private readonly Option<string?> _vault = new("--vault")
    {
        Description = "Vault or sub-account address (0x + 40 hex) the action is for.",
        CustomParser = ParseVault,
    };

    private readonly Option<bool> _testnet = new("--testnet")
    {
        Description = "Sign for testnet (phantom agent source \"b\") instead of mainnet (\"a\").",
    };

    private readonly Option<long?> _expiresAfter = new("--expires-after")
    {
        Description = "Reject the action after this time (ms since the epoch); becomes part of the hash and the body.",
        CustomParser = result => ParseNonNegative(result, "--expires-after"),
    };

    public ExchangePreviewCommand(CliContext context)
        : base("preview", $"Sign an L1 action with the key in {PrivateKeyVariable} and print the /exchange body it would POST. Sends nothing.")
    {
        _context = context;
        Add(_action);
        Add(_nonce);
        Add(_vault);
        Add(_testnet);
        Add(_expiresAfter);
        SetAction(Execute);
    }

    private int Execute(ParseResult parseResult)
    {
        var privateKey = ReadPrivateKey();
        var action = ReadAction(parseResult.GetRequiredValue(_action));
        var nonce = parseResult.GetValue(_nonce);
        var vault = parseResult.GetValue(_vault);
        var isMainnet = !parseResult.GetValue(_testnet);
        var expiresAfter = parseResult.GetValue(_expiresAfter);

        EcdsaSignature signature;
        try
        {
            signature = HyperliquidSigner.SignL1Action(privateKey, action, nonce, vault, isMainnet, expiresAfter);
        }
        catch (ArgumentException ex) when (ex is not InvalidPrivateKeyException)
        {
            throw new CliInputException($"cannot sign the action: {CliInputException.Describe(ex)}", ex);
        }

        _context.Out.WriteLine(BuildBody(action, nonce, signature, vault, expiresAfter));
        return ExitCodes.Success;
    }

    /// <summary>The /exchange body, field order as the SDK sends it; vaultAddress is null when absent, as the SDK sends it.</summary>
    internal static string BuildBody(JsonObject action, long nonce, EcdsaSignature signature, string? vault, long? expiresAfter)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, BodyWriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("action");
            action.WriteTo(writer);
            writer.WriteNumber("nonce", nonce);
            writer.WriteStartObject("signature");
            writer.WriteString("r", signature.R);
            writer.WriteString("s", signature.S);
            writer.WriteNumber("v", signature.V);
            writer.WriteEndObject();
            if (vault is null)
            {
                writer.WriteNull("vaultAddress");
            }
            else
            {
                writer.WriteString("vaultAddress", vault);
            }

            if (expiresAfter is { } expiry)
            {
                writer.WriteNumber("expiresAfter", expiry);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private string ReadPrivateKey()
    {
        var key = _context.GetEnvironmentVariable(PrivateKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new CliInputException(
                $"{PrivateKeyVariable} is not set. Export the signing (API wallet) private key as 0x + 64 hex characters.");
        }

        try
        {
            // Validate up front so a bad key is reported as such, whatever else is wrong.
            _ = EthereumAddress.FromPrivateKey(key);
        }
        catch (InvalidPrivateKeyException ex)
        {
            throw new CliInputException($"{PrivateKeyVariable} is invalid: {ex.Message}", ex);
        }

        return key;
    }

    private JsonObject ReadAction(string value)
    {
        var text = value;
        if (value.StartsWith('@'))
        {
            var path = value[1..];
            try
            {
                text = _context.ReadFile(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new CliInputException($"cannot read the action file '{path}': {ex.Message}", ex);
            }
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"--action is not valid JSON: {ex.Message}", ex);
        }

        if (node is not JsonObject action)
        {
            throw new CliInputException("--action must be a JSON object, e.g. {\"type\":\"scheduleCancel\"}.");
        }

        try
        {
            if (action["type"] is not JsonValue typeValue || typeValue.GetValueKind() != JsonValueKind.String)
            {
                throw new CliInputException("--action must have a string \"type\" (order, cancel, scheduleCancel, …).");
            }

            var type = typeValue.GetValue<string>();
            if (UserSignedActions.KnownTypes.Contains(type))
            {
                throw new CliInputException(
                    $"\"{type}\" is a user-signed action (EIP-712 over its own fields); preview signs L1 actions only.");
            }

            // Print what is hashed: integral numbers as integer literals, anything else refused.
            return ActionHasher.Canonicalize(action);
        }
        catch (ArgumentException ex)
        {
            // Also covers duplicate property names, which JsonObject reports when first enumerated.
            throw new CliInputException($"--action cannot be signed: {CliInputException.Describe(ex)}", ex);
        }
    }

    private static long ParseNonNegative(ArgumentResult result, string name)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{name} must be a non-negative whole number of milliseconds, got '{token}'.");
        return 0;
    }

    private static string? ParseVault(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (EthereumAddress.IsValid(token))
        {
            // Lowercase is the form the SDK and venue use; the hash does not depend on letter case.
            return EthereumAddress.Normalize(token);
        }

        result.AddError($"--vault must be 0x followed by 40 hex digits (mixed case must be a valid EIP-55 checksum), got '{token}'.");
        return null;
    }
}
