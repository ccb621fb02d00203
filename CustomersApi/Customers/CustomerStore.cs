using Challenge.ApiConventions;
using Challenge.Contracts.Customers;
using Challenge.Data;
using Dapper;

namespace Challenge.CustomersApi.Customers;

/// <summary>The customers' SQL. A deleted customer stays as a row (orders keep referring to it) but is gone for every reader.</summary>
public sealed class CustomerStore(Database db, TimeProvider time)
{
    /// <summary>The longest text a list may be searched for: an e-mail address's.</summary>
    public const int MaxSearchLength = CustomerRequest.MaxEmailLength;

    private const string Select = """
        SELECT id, name, email, phone, limit_open_orders AS LimitOpenOrders, limit_reserved_units AS LimitReservedUnits,
               created_at AS CreatedAt, updated_at AS UpdatedAt, version
        FROM customers
        """;

    /// <summary>The new customer, or null when another one already uses the e-mail address.</summary>
    public async Task<Customer?> CreateAsync(CustomerFields fields, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO customers (name, email, phone, limit_open_orders, limit_reserved_units, created_at, updated_at)
            VALUES (@Name, @Email, @Phone, @OpenOrders, @ReservedUnits, @now, @now)
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var id = await connection.InsertOrConflictAsync(sql,
            new { fields.Name, fields.Email, fields.Phone, fields.Limits.OpenOrders, fields.Limits.ReservedUnits, now }, cancellationToken);
        return id is { } created ? new Customer(created, fields.Name, fields.Email, fields.Phone, fields.Limits, now, now, Version: 1) : null;
    }

    public async Task<Customer?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CustomerRow>(new CommandDefinition($"{Select} WHERE id = @id AND deleted_at IS NULL",
            new { id }, cancellationToken: cancellationToken));
        return row?.ToCustomer();
    }

    /// <summary>Live customers by ascending id, those whose name or e-mail matches <paramref name="pattern"/> when one is given.</summary>
    public async Task<Page<Customer>> PageAsync(string? pattern, PageRequest page, CancellationToken cancellationToken) =>
        (await db.PageAsync<CustomerRow>(Select, page, row => row.Id, cancellationToken, filter: "deleted_at IS NULL",
            searchColumns: ["name", "email"], pattern: pattern)).Select(row => row.ToCustomer());

    /// <summary>
    /// Replaces the customer's fields while it is live and meets <paramref name="precondition"/>; null when another
    /// customer already uses the e-mail address (nothing is changed).
    /// </summary>
    public async Task<Changed<Customer>?> ReplaceAsync(long id, CustomerFields fields, IfMatch precondition, CancellationToken cancellationToken)
    {
        const string sql = $"""
            UPDATE customers SET name = @name, email = @email, phone = @phone, limit_open_orders = @openOrders,
                   limit_reserved_units = @reservedUnits, updated_at = @now, version = version + 1
            WHERE id = @id AND deleted_at IS NULL AND {IfMatch.Condition}
            """;
        try
        {
            return await ChangeAsync(id, sql, cancellationToken, [.. precondition.Parameters(), ("@name", fields.Name), ("@email", fields.Email),
                ("@phone", fields.Phone), ("@openOrders", fields.Limits.OpenOrders), ("@reservedUnits", fields.Limits.ReservedUnits)]);
        }
        catch (MySqlConnector.MySqlException exception) when (exception.ErrorCode == MySqlConnector.MySqlErrorCode.DuplicateKeyEntry)
        {
            return null;
        }
    }

    /// <summary>Deletes the customer while it is live and meets <paramref name="precondition"/>; the row read back is the customer still live, if any.</summary>
    public Task<Changed<Customer>> DeleteAsync(long id, IfMatch precondition, CancellationToken cancellationToken) =>
        ChangeAsync(id, $"""
            UPDATE customers SET deleted_at = @now, updated_at = @now, version = version + 1
            WHERE id = @id AND deleted_at IS NULL AND {IfMatch.Condition}
            """, cancellationToken, precondition.Parameters());

    private async Task<Changed<Customer>> ChangeAsync(long id, string change, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var batch = new MySqlConnector.MySqlBatch(connection).Add(change, [("@id", id), ("@now", time.UtcNowMilliseconds()), .. parameters]);
        var changed = await GuardedChange.RunAsync(batch, [Batches.Command($"{Select} WHERE id = @id AND deleted_at IS NULL", ("@id", id))],
            GuardedChange.SingleRowAsync<CustomerRow>, cancellationToken);
        return new(changed.Made, changed.Row?.ToCustomer());
    }
}
