using System.CommandLine;

namespace BackOffice.Host.Cli;

/// <summary>
/// The one executable, many verbs (docs/reference/cli.md). Output that scripts read is CSV on
/// standard output; errors go to standard error and name the rule and the place. Exit status:
/// 0 done, 1 refused (invalid input, rejected entries, a broken audit chain), 2 usage error.
/// </summary>
public static class CommandLine
{
    /// <summary>Runs one command line, writing to the given streams; returns the exit status.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var context = new CliContext(output, error);
        var root = new RootCommand("BackOffice: books and records for brokers and securities firms.");
        root.Options.Add(context.Db);
        root.Options.Add(context.Connection);
        root.Options.Add(context.Actor);
        root.Subcommands.Add(LedgerCommands.Init(context));
        root.Subcommands.Add(ReferenceDataCommands.Build(context));
        root.Subcommands.Add(LedgerCommands.Post(context));
        root.Subcommands.Add(LedgerCommands.Reverse(context));
        root.Subcommands.Add(LedgerCommands.Balances(context));
        root.Subcommands.Add(AuditCommands.Build(context));
        root.Subcommands.Add(DemoCommand.Build(context));
        root.Subcommands.Add(IdentifierCommands.Build(context));
        root.Subcommands.Add(CalendarCommands.Build(context));
        root.Subcommands.Add(TradeCommands.Trades(context));
        root.Subcommands.Add(TradeCommands.Exceptions(context));
        root.Subcommands.Add(FixCommands.Build(context));
        root.Subcommands.Add(DayCountCommands.DayCount(context));
        root.Subcommands.Add(DayCountCommands.Bond(context));
        root.Subcommands.Add(LotCommands.Lots(context));
        root.Subcommands.Add(SettlementCommands.Settlement(context));
        root.Subcommands.Add(ServeCommand.Build(context));
        foreach (Command command in UserCommands.Build(context))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(ReportCommands.Build(context));
        root.Subcommands.Add(ExportCommands.Build(context));
        root.Subcommands.Add(PeriodCommands.Build(context));
        root.Subcommands.Add(EodCommands.Build(context));
        root.Subcommands.Add(ReconCommands.Build(context));
        root.Subcommands.Add(ComplianceCommands.Build(context));
        root.Subcommands.Add(DocumentCommands.Build(context));
        root.Subcommands.Add(RecordsCommands.Build(context));
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError parseError in parsed.Errors)
            {
                await error.WriteLineAsync("error: " + parseError.Message);
            }
            await error.WriteLineAsync("run 'backoffice --help' for usage");
            return ExitCodes.Usage;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}

/// <summary>Exit statuses shared by every verb.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int Usage = 2;
    public const int Failure = 3;
}
