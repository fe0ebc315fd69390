using System;
using EmbeddedMpc.Core.Model;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Plants;

/// <summary>
/// The dm-control pole is MuJoCo's capsule: a 1 m cylinder of radius 0.045 m closed by two
/// hemispheres, 0.1 kg in all, hinged at the centre of one end cap. Its inertia about the hinge is
/// checked here against the definition, I = integral of (x² + z²) dm over the solid, not against
/// the closed form the profile uses.
/// </summary>
[TestClass]
public sealed class CapsuleInertiaTests
{
    private const double Mass = 0.1;
    private const double Length = 1.0;
    private const double Radius = 0.045;

    [TestMethod]
    public void TheDmControlPoleInertiaIsTheSolidCapsulesAboutItsHinge()
    {
        double derived = IntegratedCapsuleInertiaAboutHinge();
        float profile = RigProfiles.DmControl().CopyParameters().PoleInertiaAboutPivotKilogramSquareMeters;

        // Float rounding of the closed form is a few parts in 10^7; the integration below is exact to
        // better than 10^-8. A formula that forgets the caps (3 % off) or misplaces them fails by far.
        Assert.AreEqual(derived, profile, derived * 1e-5, $"integrated {derived:G8}, profile {profile:G8}");
    }

    [TestMethod]
    public void APlainCylinderFormulaIsAboutThreePercentLow()
    {
        // The check above must be able to fail: the rod-plus-radial formula the profile used before.
        double derived = IntegratedCapsuleInertiaAboutHinge();
        double cylinder = Mass * Length * Length / 3 + Mass * Radius * Radius / 4;
        double shortfall = 1 - cylinder / derived;
        Assert.IsTrue(shortfall > 0.025 && shortfall < 0.035, $"shortfall {shortfall:P2}");
    }

    /// <summary>
    /// Slices the capsule along its axis (z from -r to L + r, hinge at z = 0): each slice is a disk of
    /// radius rho(z), whose second moment about the hinge's axis (y, through the origin) is
    /// pi rho^4 / 4 + z^2 pi rho^2 per unit thickness. Simpson's rule over each smooth piece; the density
    /// follows from the mass and the integrated volume.
    /// </summary>
    private static double IntegratedCapsuleInertiaAboutHinge()
    {
        double volume = 0;
        double moment = 0;
        foreach ((double from, double to) in new[] { (-Radius, 0.0), (0.0, Length), (Length, Length + Radius) })
        {
            const int intervals = 20000; // even, for Simpson
            double h = (to - from) / intervals;
            for (int i = 0; i <= intervals; i++)
            {
                double z = from + i * h;
                double weight = i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2;
                double rho = SliceRadius(z);
                double area = Math.PI * rho * rho;
                volume += weight * h / 3 * area;
                moment += weight * h / 3 * (area * rho * rho / 4 + z * z * area);
            }
        }

        return Mass / volume * moment;
    }

    private static double SliceRadius(double z)
    {
        double beyond = z < 0 ? -z : z > Length ? z - Length : 0;
        return Math.Sqrt(Math.Max(0, Radius * Radius - beyond * beyond));
    }
}
