using Challenge.Data;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Challenge.Webhooks.Signing;

/// <summary>
/// The Data Protection key ring of the webhook secrets, in ordersdb's <c>data_protection_keys</c>: where every instance of
/// the Orders API and of the dispatcher reads it. Each element is a key as Data Protection writes it, encrypted with the
/// deployment's certificate before it gets here.
/// </summary>
internal sealed class MySqlXmlRepository(Database db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.OpenConnection();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = db.OpenConnection();
        connection.Execute("INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@friendlyName, @xml)",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
