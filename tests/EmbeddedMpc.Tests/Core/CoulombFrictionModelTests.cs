using System;
using EmbeddedMpc.Core.Model;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>The optional Coulomb friction of <see cref="CartPoleModel"/>: off by default, a constant force once sliding, nothing at standstill.</summary>
[TestClass]
public sealed class CoulombFrictionModelTests
{
    private static CartPoleParameters Rig(float cartCoulombNewtons, float pivotCoulombNewtonMeters)
    {
        CartPoleParameters p = RigProfiles.Esp32Rig().CopyParameters();
        p.CartCoulombFrictionNewtons = cartCoulombNewtons;
        p.PivotCoulombFrictionNewtonMeters = pivotCoulombNewtonMeters;
        return p;
    }

    [TestMethod]
    public void TheBuiltInProfilesHaveNoCoulombFriction()
    {
        // The default 0 keeps every existing profile's model (and figure) what it was.
        CartPoleParameters p = RigProfiles.Esp32Rig().CopyParameters();
        Assert.AreEqual(0f, p.CartCoulombFrictionNewtons);
        Assert.AreEqual(0f, p.PivotCoulombFrictionNewtonMeters);
    }

    [TestMethod]
    public void ASlidingCartIsSlowedByTheCoulombForce_AndAStillOneIsNotPushed()
    {
        // Scenario: the pole hanging still (theta = pi), no drive force. Sliding at 0.5 m/s (far beyond the
        // 0.01 m/s smoothing), the friction model's acceleration differs from the frictionless one as a drive
        // force of -F_c would: with the pole straight down (cos = -1) that is -F_c J / ((M + m) J - (m l)^2).
        var friction = new CartPoleModel(Rig(0.4f, 0f));
        var none = new CartPoleModel(Rig(0f, 0f));
        var sliding = new CartPoleState(0f, 0.5f, (float)Math.PI, 0f);
        friction.Accelerations(ref sliding, 0f, out float withFriction, out _);
        none.Accelerations(ref sliding, 0f, out float without, out _);
        CartPoleParameters p = Rig(0f, 0f);
        float ml = p.PoleMassKilograms * p.PivotToCenterOfMassMeters;
        float j = p.PoleInertiaAboutPivotKilogramSquareMeters;
        Assert.AreEqual(-0.4f * j / ((p.CartMassKilograms + p.PoleMassKilograms) * j - ml * ml), withFriction - without, 1e-4f);

        var still = new CartPoleState(0f, 0f, (float)Math.PI, 0f);
        friction.Accelerations(ref still, 0f, out float atRest, out _);
        Assert.AreEqual(0f, atRest, 1e-6f, "no velocity, no friction force (the smoothed sign is 0 at standstill)");
    }

    [TestMethod]
    public void TheAccelerationDerivativesIncludeTheFriction()
    {
        // Central differences of the accelerations at a sliding, swinging state, inside the smoothing band of
        // both velocities (where the friction has a slope) and outside; 2 % of the largest entry: float rounding.
        var model = new CartPoleModel(Rig(0.4f, 0.002f));
        foreach (var state in new[] { new CartPoleState(0.1f, 0.004f, 2.5f, 0.03f), new CartPoleState(0.1f, 0.6f, 2.5f, -3f) })
        {
            var derivatives = new float[8];
            CartPoleState at = state;
            model.AccelerationDerivatives(ref at, 1f, derivatives);
            float[] steps = { 1e-3f, 1e-3f, 1e-3f, 1e-2f };
            for (int column = 0; column < 4; column++)
            {
                float h = column == 0 ? 5e-4f : column == 2 ? 5e-3f : steps[column];
                (float plusX, float plusT) = Accelerate(model, state, column, h);
                (float minusX, float minusT) = Accelerate(model, state, column, -h);
                float expectedX = (plusX - minusX) / (2 * h);
                float expectedT = (plusT - minusT) / (2 * h);
                float scale = Math.Max(1f, Math.Max(Math.Abs(expectedX), Math.Abs(expectedT)));
                Assert.AreEqual(expectedX, derivatives[column], 0.02f * scale, $"d xDDot / d{column} at {state.XDot}");
                Assert.AreEqual(expectedT, derivatives[4 + column], 0.02f * scale, $"d thetaDDot / d{column} at {state.XDot}");
            }
        }
    }

    /// <summary>The accelerations with input <paramref name="column"/> (xDot, theta, thetaDot, force) moved by <paramref name="delta"/>.</summary>
    private static (float XDDot, float ThetaDDot) Accelerate(CartPoleModel model, CartPoleState state, int column, float delta)
    {
        float force = 1f;
        switch (column)
        {
            case 0: state.XDot += delta; break;
            case 1: state.Theta += delta; break;
            case 2: state.ThetaDot += delta; break;
            default: force += delta; break;
        }

        model.Accelerations(ref state, force, out float xDDot, out float thetaDDot);
        return (xDDot, thetaDDot);
    }

    [TestMethod]
    public void ANegativeCoulombForceIsRefusedNamingIt()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new CartPoleModel(Rig(-0.1f, 0f)));
        StringAssert.Contains(error.Message, nameof(CartPoleParameters.CartCoulombFrictionNewtons));
    }
}
