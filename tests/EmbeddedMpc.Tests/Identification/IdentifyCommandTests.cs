using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using EmbeddedMpc.Tests.Simulator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.Identification;

/// <summary>`run --task excite`, `identify` and `run --profile-file` as a user runs them, and the firmware source `identify` writes.</summary>
[TestClass]
public sealed class IdentifyCommandTests
{
    private string _workDirectory = "";

    [TestInitialize]
    public void CreateWorkDirectory()
    {
        _workDirectory = Path.Combine(Path.GetTempPath(), "embeddedmpc-identify-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDirectory);
    }

    [TestCleanup]
    public void DeleteWorkDirectory() => Directory.Delete(_workDirectory, recursive: true);

    [TestMethod]
    public void ExciteIdentifyAndRunWithTheProfileFile()
    {
        string excite = Path.Combine(_workDirectory, "excite");
        CliTests.CliResult run = CliTests.Run("run", "--task", "excite", "--duration", "30", "--seed", "6", "--out", excite);
        Assert.AreEqual(0, run.ExitCode, run.ToString());

        string identified = Path.Combine(_workDirectory, "identified");
        CliTests.CliResult identify = CliTests.Run("identify", Path.Combine(excite, "log.csv"), "--out", identified);
        Assert.AreEqual(0, identify.ExitCode, identify.ToString());
        StringAssert.Contains(identify.StandardOutput, "pole inertia J");
        StringAssert.Contains(identify.StandardOutput, "prediction error");
        foreach (string name in IdentificationReport.FileNames)
        {
            Assert.IsTrue(File.Exists(Path.Combine(identified, name)), $"{name} missing; {identify}");
        }

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(identified, IdentificationReport.ReportFileName)));
        JsonElement inertia = report.RootElement.GetProperty("estimates").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "poleInertiaAboutPivotKilogramSquareMeters");
        Assert.IsTrue(inertia.GetProperty("standardError").GetDouble() > 0);
        Assert.AreEqual(2, report.RootElement.GetProperty("heldOut").GetArrayLength(), "identified and nominal");

        string swingUp = Path.Combine(_workDirectory, "swingup");
        CliTests.CliResult withFile = CliTests.Run("run", "--profile-file", Path.Combine(identified, IdentificationReport.ProfileFileName), "--duration", "4", "--homed", "--out", swingUp);
        Assert.AreEqual(0, withFile.ExitCode, withFile.ToString());
        StringAssert.Contains(File.ReadAllText(Path.Combine(swingUp, "summary.json")), "\"profile\": \"identified-profile\"");
    }

    [TestMethod]
    public void AMissingModelFile_IsABadOption()
    {
        string output = Path.Combine(_workDirectory, "out");
        CliTests.CliResult result = CliTests.Run("run", "--model-file", Path.Combine(_workDirectory, "absent.json"), "--out", output);
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "absent.json");
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public void IdentifyWithBothPriorAndPriorFile_IsABadOption_AndWritesNothing()
    {
        string profileFile = Path.Combine(_workDirectory, "prior.json");
        RigProfileFile.Write(RigProfiles.Esp32Rig(), profileFile);
        string output = Path.Combine(_workDirectory, "identified");

        CliTests.CliResult result = CliTests.Run("identify", Path.Combine(_workDirectory, "log.csv"), "--prior", RigProfiles.QuanserIp02Name, "--prior-file", profileFile, "--out", output);

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "--prior and --prior-file exclude each other");
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public void RunWithBothProfileAndProfileFile_IsABadOption_AndWritesNothing()
    {
        string profileFile = Path.Combine(_workDirectory, "rig.json");
        RigProfileFile.Write(RigProfiles.Esp32Rig(), profileFile);
        string output = Path.Combine(_workDirectory, "out");

        CliTests.CliResult result = CliTests.Run("run", "--profile", RigProfiles.DmControlName, "--profile-file", profileFile, "--duration", "1", "--out", output);

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "--profile and --profile-file exclude each other");
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public void TheGeneratedFirmwareSource_CompilesAgainstTheCore_UsesOnlyTheNanoFrameworkSubset_AndReturnsTheProfile()
    {
        RigProfile profile = LearnLoop.WrongProfile(RigProfiles.Esp32Rig(), 0.3, seed: 2);
        string source = ProfileSourceGenerator.Generate(profile);

        // C# 9, as the nanoFramework build uses; references: the framework the host runs on and the Core.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(RepositoryLayout.CoreAssemblyPath));
        var compilation = CSharpCompilation.Create("GeneratedProfile",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp9))],
            references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.IsTrue(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics) + Environment.NewLine + source);

        // The Core's own checks: no generics or other forbidden features, and nothing outside the Core
        // but framework members on the Core's allowlist.
        image.Position = 0;
        using (ModuleDefinition module = ModuleDefinition.ReadModule(image, new ReaderParameters { InMemory = true }))
        {
            CollectionAssert.AreEqual(Array.Empty<string>(), LanguageFeatureCheck.FindViolations(module).ToArray());
            string[] unlisted = FrameworkReferenceCheck.FindUnlistedReferences(module, CoreApiAllowlist.Load())
                .Select(u => u.Signature).Where(s => !s.Contains("EmbeddedMpc.Core.")).ToArray();
            CollectionAssert.AreEqual(Array.Empty<string>(), unlisted, "framework references not on the Core's allowlist");
        }

        Assembly assembly = Assembly.Load(image.ToArray());
        MethodInfo create = assembly.GetType($"{ProfileSourceGenerator.DefaultNamespace}.{ProfileSourceGenerator.DefaultClassName}")!.GetMethod("Create")!;
        var created = (RigProfile)create.Invoke(null, null)!;
        Assert.AreEqual(RigProfileFile.ToJson(profile), RigProfileFile.ToJson(created), "the generated class returns exactly the profile");
    }
}
