using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;

namespace PaperBot.Admin;

/// <summary>Data protection keys in the database (<see cref="ProtectionKey"/>): sessions survive restarts and every instance reads the same keys.</summary>
public sealed class DatabaseKeyRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        return db.DataProtectionKeys.AsNoTracking().Where(k => k.Xml != null).Select(k => k.Xml!).AsEnumerable().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        db.DataProtectionKeys.Add(new ProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
