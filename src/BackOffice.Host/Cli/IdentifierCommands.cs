using System.CommandLine;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Identifiers;
using BackOffice.Intake.Csv;

namespace BackOffice.Host.Cli;

/// <summary>identifiers validate: ISIN, CUSIP, SEDOL, LEI, BIC and MIC by their published rules.</summary>
internal static class IdentifierCommands
{
    public static Command Build(CliContext context)
    {
        var type = new Option<string?>("--type") { Description = "isin|cusip|sedol|lei|bic|mic" };
        var file = new Option<FileInfo?>("--file") { Description = "CSV with columns type,value" };
        var values = new Argument<string[]>("VALUE") { Arity = ArgumentArity.ZeroOrMore, Description = "identifiers to check (with --type)" };
        var validate = new Command("validate", "Check identifiers; print CSV type,value,valid,reason; exit 0 only when all are valid") { type, file, values };
        validate.SetAction(async (parsed, ct) =>
        {
            var checks = new List<(string Type, string Value, string Location)>();
            if (parsed.GetValue(file) is { } input)
            {
                if (!input.Exists)
                {
                    await context.Error.WriteLineAsync($"error: {input.Name}: file not found");
                    return ExitCodes.Refused;
                }
                Result<CsvTable> table = CsvTable.Parse(input.Name, await File.ReadAllTextAsync(input.FullName, ct), ["type", "value"]);
                if (table.Rejection is { } malformed)
                {
                    await context.RejectAsync(malformed);
                    return ExitCodes.Refused;
                }
                checks.AddRange(table.Value.Rows.Select(r => (r["type"], r["value"], $"{input.Name}:{r.Line}")));
            }
            else if (parsed.GetValue(type) is { } typeText && parsed.GetValue(values) is { Length: > 0 } given)
            {
                checks.AddRange(given.Select(v => (typeText, v, "")));
            }
            else
            {
                await context.Error.WriteLineAsync("error: give --type with at least one VALUE, or --file");
                return ExitCodes.Usage;
            }
            return await WriteAsync(context, checks);
        });
        return new Command("identifiers", "Securities and entity identifiers") { validate };
    }

    private static async Task<int> WriteAsync(CliContext context, List<(string Type, string Value, string Location)> checks)
    {
        await context.Output.WriteLineAsync("type,value,valid,reason");
        bool allValid = true;
        foreach ((string typeText, string value, string _) in checks)
        {
            ValidationResult result = IdentifierValidation.TryParseType(typeText, out IdentifierType type)
                ? IdentifierValidation.Validate(type, value)
                : ValidationResult.Invalid($"unknown identifier type '{typeText}'; expected isin, cusip, sedol, lei, bic or mic");
            allValid &= result.IsValid;
            await context.Output.WriteLineAsync(CsvText.Row(typeText.ToLowerInvariant(), value, result.IsValid ? "true" : "false", result.Reason));
        }
        return allValid ? ExitCodes.Ok : ExitCodes.Refused;
    }
}
