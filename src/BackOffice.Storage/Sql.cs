using System.Data.Common;

namespace BackOffice.Storage;

/// <summary>Small ADO.NET helpers: commands with parameters, no string-built values.</summary>
public static class Sql
{
    /// <summary>A command on the connection, enlisted in the transaction when there is one.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        return command;
    }

    /// <summary>Adds a named parameter; null becomes DBNull.</summary>
    public static DbParameter Add(DbCommand command, string name, object? value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Runs a statement (or a script) that returns no rows.</summary>
    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string text, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(connection, transaction, text);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads a nullable text column.</summary>
    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
