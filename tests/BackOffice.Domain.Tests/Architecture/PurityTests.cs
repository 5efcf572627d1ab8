using System.Reflection;
using System.Runtime.CompilerServices;
using BackOffice.Domain.Accounting;

namespace BackOffice.Domain.Tests.Architecture;

/// <summary>The domain stays pure and its values immutable: checked by reflection, not by review.</summary>
public sealed class PurityTests
{
    private static readonly Assembly s_domain = typeof(JournalEntry).Assembly;

    [Fact]
    public void The_domain_references_only_the_base_library_and_NodaTime()
    {
        string[] references = s_domain.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.All(references, name => Assert.True(
            name.StartsWith("System", StringComparison.Ordinal) || name is "NodaTime" or "netstandard",
            $"BackOffice.Domain references {name}"));
        Assert.DoesNotContain(references, name => name.StartsWith("System.Data", StringComparison.Ordinal) || name.StartsWith("System.Net", StringComparison.Ordinal));
    }

    [Fact]
    public void No_domain_method_is_async()
    {
        var asyncMethods = s_domain.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<AsyncStateMachineAttribute>() is not null || typeof(Task).IsAssignableFrom(m.ReturnType))
            .Select(m => m.DeclaringType!.Name + "." + m.Name)
            .ToList();
        Assert.Empty(asyncMethods);
    }

    [Fact]
    public void No_domain_signature_carries_binary_floating_point()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        static bool Floating(Type type) => type == typeof(double) || type == typeof(float) || (Nullable.GetUnderlyingType(type) is { } inner && Floating(inner));
        var offenders = s_domain.GetTypes().SelectMany(t =>
            t.GetFields(all).Where(f => Floating(f.FieldType)).Select(f => t.Name + "." + f.Name)
            .Concat(t.GetMethods(all).Where(m => Floating(m.ReturnType) || m.GetParameters().Any(p => Floating(p.ParameterType))).Select(m => t.Name + "." + m.Name)))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Public_domain_values_have_no_public_setters_or_mutable_fields()
    {
        var mutable = s_domain.GetExportedTypes()
            .Where(t => !t.IsInterface && !t.IsEnum && !(t.IsAbstract && t.IsSealed) && !typeof(Exception).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true } setter
                    && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
                .Select(p => t.Name + "." + p.Name)
                .Concat(t.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => !f.IsInitOnly).Select(f => t.Name + "." + f.Name)))
            .ToList();
        Assert.Empty(mutable);
    }
}
