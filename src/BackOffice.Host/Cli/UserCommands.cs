using System.CommandLine;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;

namespace BackOffice.Host.Cli;

/// <summary>users add|list and api-keys issue|revoke|list: who may use the server.</summary>
internal static class UserCommands
{
    public static IEnumerable<Command> Build(CliContext context)
    {
        yield return Users(context);
        yield return Keys(context);
    }

    private static Command Users(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "the user name (letters, digits and . - _ @)" };
        var role = new Option<string>("--role") { Description = "one of " + string.Join(", ", Roles.All.Select(Roles.Name)), Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "the name people read (default: the user name)" };
        var branch = new Option<string?>("--branch") { Description = "scope the user to the client accounts of one branch" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read a console password (at least 12 characters) from the first line of standard input" };
        var add = new Command("add", "Add a user with a role; a console password is optional (systems use API keys)") { name, role, displayName, branch, passwordStdin };
        add.SetAction(async (parsed, ct) =>
        {
            if (Roles.Parse(parsed.GetValue(role)!) is not { } parsedRole)
            {
                await context.Error.WriteLineAsync($"error: --role must be one of {string.Join(", ", Roles.All.Select(Roles.Name))}");
                return ExitCodes.Usage;
            }
            string? password = parsed.GetValue(passwordStdin) ? await context.Input.ReadLineAsync(ct) ?? "" : null;
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            string userName = parsed.GetValue(name)!;
            var user = new User(userName, parsed.GetValue(displayName) ?? userName, parsedRole, parsed.GetValue(branch), Active: true);
            CommandOutcome outcome = await services.Access.AddUserAsync(user, password, services.Actor, ct);
            return await ReportAsync(context, outcome);
        });
        var list = new Command("list", "Print the users as CSV: name,display_name,role,branch,active");
        list.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            await context.Output.WriteLineAsync("name,display_name,role,branch,active");
            foreach (User user in await services.Store.ListUsersAsync(ct))
            {
                await context.Output.WriteLineAsync($"{user.Name},{Csv(user.DisplayName)},{Roles.Name(user.Role)},{user.Branch},{(user.Active ? "true" : "false")}");
            }
            return ExitCodes.Ok;
        });
        return new Command("users", "Users of the server and their roles") { add, list };
    }

    private static Command Keys(CliContext context)
    {
        var user = new Argument<string>("user") { Description = "the user the key acts as" };
        var issue = new Command("issue", "Issue an API key to a user and print it: it is shown this once and stored only as its hash") { user };
        issue.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            (CommandOutcome outcome, string? key, ApiKey? stored) = await services.Access.IssueKeyAsync(parsed.GetValue(user)!, services.Actor, ct);
            if (outcome.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                return ExitCodes.Refused;
            }
            await context.Error.WriteLineAsync($"issued key {stored!.Id} to {stored.UserName} (audit record {outcome.Sequence}); send it as 'Authorization: ApiKey <key>'");
            await context.Output.WriteLineAsync(key);
            return ExitCodes.Ok;
        });
        var id = new Argument<string>("id") { Description = "the key's id (from api-keys list)" };
        var revoke = new Command("revoke", "Revoke an API key: refused by every server within 5 seconds") { id };
        revoke.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            return await ReportAsync(context, await services.Access.RevokeKeyAsync(parsed.GetValue(id)!, services.Actor, ct));
        });
        var list = new Command("list", "Print the keys as CSV: id,user,prefix,revoked (never the keys themselves)");
        list.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            await context.Output.WriteLineAsync("id,user,prefix,revoked");
            foreach (ApiKey key in await services.Store.ListApiKeysAsync(ct))
            {
                await context.Output.WriteLineAsync($"{key.Id},{key.UserName},{key.Prefix},{(key.Revoked ? "true" : "false")}");
            }
            return ExitCodes.Ok;
        });
        return new Command("api-keys", "API keys: how systems authenticate to the server") { issue, revoke, list };
    }

    private static async Task<int> ReportAsync(CliContext context, CommandOutcome outcome)
    {
        if (outcome.Rejection is { } rejection)
        {
            await context.RejectAsync(rejection);
            return ExitCodes.Refused;
        }
        await context.Output.WriteLineAsync($"{outcome.Status.ToString().ToLowerInvariant()}: {outcome.Result} (audit record {outcome.Sequence})");
        return ExitCodes.Ok;
    }

    private static string Csv(string text) => text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal)
        ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : text;
}
