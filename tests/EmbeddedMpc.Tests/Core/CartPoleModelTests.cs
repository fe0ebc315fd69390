using System;
using EmbeddedMpc.Core.Model;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

[TestClass]
public sealed class CartPoleModelTests
{
    private static CartPoleParameters Undamped()
    {
        CartPoleParameters parameters = RigProfiles.Esp32Rig().CopyParameters();
        parameters.CartDampingNewtonSecondsPerMeter = 0f;
        parameters.PivotDampingNewtonMeterSecondsPerRadian = 0f;
        return parameters;
    }

    [TestMethod]
    public void EnergyIsConservedWithoutDampingOrForce()
    {
        var model = new CartPoleModel(Undamped());
        var state = new CartPoleState(0f, 0.3f, 2.5f, -1.0f);
        float initial = model.Energy(ref state);
        float worst = 0f;
        for (int i = 0; i < 10_000; i++)
        {
            model.StepRk4(ref state, 0f, 0.001f);
            worst = Math.Max(worst, Math.Abs(model.Energy(ref state) - initial));
        }

        // 10 s of free swinging at 1 kHz. The energy scale is m g l = 0.196 J; RK4's truncation error at
        // this step is far below float rounding, so the drift is float round-off: allow 1e-4 of m g l.
        Assert.IsTrue(worst < 2e-5f, $"energy drifted by {worst:E2} J from {initial} J");
    }

    [TestMethod]
    public void DampingOnlyEverRemovesEnergy()
    {
        var model = new CartPoleModel(RigProfiles.Esp32Rig().CopyParameters());
        var state = new CartPoleState(0f, 0.5f, 2.0f, 3.0f);
        float previous = model.Energy(ref state);
        for (int i = 0; i < 5000; i++)
        {
            model.StepRk4(ref state, 0f, 0.001f);
            float energy = model.Energy(ref state);
            Assert.IsTrue(energy <= previous + 1e-6f, $"energy rose from {previous} to {energy} at step {i}");
            previous = energy;
        }
    }

    [TestMethod]
    public void TheLinearizationAboutUprightHasTheTextbookUnstableEigenvalue()
    {
        CartPoleParameters p = Undamped();
        var model = new CartPoleModel(p);
        var a = new float[16];
        var b = new float[4];
        model.LinearizeUpright(a, b);

        // Without damping the characteristic polynomial is lambda^2 (lambda^2 - a32) with
        // a32 = (M + m) m g l / ((M + m) J - (m l)^2), the pole's unstable eigenvalue sqrt(a32).
        double totalMass = p.CartMassKilograms + p.PoleMassKilograms;
        double ml = p.PoleMassKilograms * p.PivotToCenterOfMassMeters;
        double textbook = Math.Sqrt(totalMass * ml * p.GravityMetersPerSecondSquared
            / (totalMass * p.PoleInertiaAboutPivotKilogramSquareMeters - ml * ml));

        double unstable = LargestRealEigenvalue(a);
        Assert.AreEqual(textbook, unstable, 1e-4 * textbook);
    }

    [TestMethod]
    public void WithAUniformRodTheModelIsTheClassicCartPole()
    {
        // Barto, Sutton & Anderson (Gym): J = 4/3 m l^2 about the pivot with l the half-length.
        var p = new CartPoleParameters
        {
            CartMassKilograms = 1.0f,
            PoleMassKilograms = 0.1f,
            PivotToCenterOfMassMeters = 0.5f,
            PoleInertiaAboutPivotKilogramSquareMeters = 4f / 3f * 0.1f * 0.25f,
            MaxForceNewtons = 10f,
            TrackHalfLengthMeters = 2.4f,
            GravityMetersPerSecondSquared = 9.8f,
        };
        var model = new CartPoleModel(p);
        var state = new CartPoleState(0f, 0.2f, 0.3f, -0.7f);
        model.Accelerations(ref state, 10f, out float xDDot, out float thetaDDot);

        double force = 10, m = 0.1, total = 1.1, l = 0.5, g = 9.8, theta = 0.3, omega = -0.7;
        double temp = (force + m * l * omega * omega * Math.Sin(theta)) / total;
        double expectedThetaDDot = (g * Math.Sin(theta) - Math.Cos(theta) * temp) / (l * (4.0 / 3.0 - m * Math.Cos(theta) * Math.Cos(theta) / total));
        double expectedXDDot = temp - m * l * expectedThetaDDot * Math.Cos(theta) / total;
        Assert.AreEqual(expectedThetaDDot, thetaDDot, 1e-4);
        Assert.AreEqual(expectedXDDot, xDDot, 1e-4);
    }

    [TestMethod]
    public void TheLinearizationMatchesFiniteDifferencesOfTheNonlinearModel()
    {
        var model = new CartPoleModel(RigProfiles.QuanserIp02LongPendulum().CopyParameters());
        var a = new float[16];
        var b = new float[4];
        model.LinearizeUpright(a, b);
        const float h = 1e-3f;
        for (int column = 0; column < 5; column++)
        {
            float[] plus = Derivative(model, column, h);
            float[] minus = Derivative(model, column, -h);
            for (int row = 0; row < 4; row++)
            {
                double numeric = (plus[row] - minus[row]) / (2.0 * h);
                double analytic = column < 4 ? a[row * 4 + column] : b[row];
                Assert.AreEqual(analytic, numeric, 2e-3 * Math.Max(1, Math.Abs(analytic)), $"d(row {row})/d(column {column})");
            }
        }
    }

    [TestMethod]
    public void EulerConvergesToRk4AsTheStepShrinks()
    {
        var model = new CartPoleModel(RigProfiles.Esp32Rig().CopyParameters());
        var start = new CartPoleState(0.05f, 0.1f, 2.8f, 1.5f);
        CartPoleState reference = Integrate(model, start, 0.0005f, rk4: true);

        double previousError = double.MaxValue;
        foreach (float step in new[] { 0.02f, 0.01f, 0.005f, 0.0025f })
        {
            CartPoleState euler = Integrate(model, start, step, rk4: false);
            double error = Math.Abs(euler.Theta - reference.Theta) + Math.Abs(euler.X - reference.X);
            // First-order method: halving the step should roughly halve the error (allow 0.7).
            Assert.IsTrue(error < 0.7 * previousError, $"step {step}: error {error} did not shrink from {previousError}");
            previousError = error;
        }

        Assert.IsTrue(previousError < 0.02, $"Euler at 2.5 ms is still {previousError} away from RK4 after 0.5 s");
    }

    [TestMethod]
    public void Rk4IsFourthOrder()
    {
        // Unforced swing through upright, with steps coarse enough that truncation error dominates
        // float round-off: halving the step must divide the error by about 16 (require 8).
        var model = new CartPoleModel(RigProfiles.Esp32Rig().CopyParameters());
        var start = new CartPoleState(0f, 0f, 2.0f, 6.0f);
        double coarseError = Math.Abs(Unforced(model, start, 0.1f, 10).Theta - Unforced(model, start, 0.001f, 1000).Theta);
        double fineError = Math.Abs(Unforced(model, start, 0.05f, 20).Theta - Unforced(model, start, 0.001f, 1000).Theta);
        Assert.IsTrue(coarseError > 1e-4, $"coarse error {coarseError:E2} is too small to measure the order");
        Assert.IsTrue(fineError * 8 < coarseError, $"coarse {coarseError:E2}, fine {fineError:E2}");
    }

    private static CartPoleState Unforced(CartPoleModel model, CartPoleState state, float step, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            model.StepRk4(ref state, 0f, step);
        }

        return state;
    }

    [TestMethod]
    [DataRow("CartMassKilograms", -1f)]
    [DataRow("CartMassKilograms", float.NaN)]
    [DataRow("PoleMassKilograms", 0f)]
    [DataRow("PivotToCenterOfMassMeters", float.PositiveInfinity)]
    [DataRow("PoleInertiaAboutPivotKilogramSquareMeters", 1e-6f)]
    [DataRow("CartDampingNewtonSecondsPerMeter", -0.1f)]
    [DataRow("MaxForceNewtons", 0f)]
    [DataRow("TrackHalfLengthMeters", float.NaN)]
    public void AParameterOutOfRangeIsRejectedByName(string name, float value)
    {
        CartPoleParameters parameters = RigProfiles.Esp32Rig().CopyParameters();
        typeof(CartPoleParameters).GetProperty(name)!.SetValue(parameters, value);
        var error = Assert.ThrowsExactly<ArgumentException>(() => new CartPoleModel(parameters));
        Assert.AreEqual(name, error.ParamName);
        StringAssert.Contains(error.Message, name);
        StringAssert.Contains(error.Message, "must be a number in");
    }

    [TestMethod]
    public void EveryBuiltInProfileIsValidAndFoundByItsName()
    {
        foreach (string name in RigProfiles.AllNames.Split(", "))
        {
            RigProfile? profile = RigProfiles.FindByName(name);
            Assert.IsNotNull(profile, name);
            Assert.AreEqual(name, profile.Name);
            _ = new CartPoleModel(profile.CopyParameters());
        }

        Assert.IsNull(RigProfiles.FindByName("no-such-rig"));
    }

    private static CartPoleState Integrate(CartPoleModel model, CartPoleState state, float step, bool rk4)
    {
        int steps = (int)Math.Round(0.5 / step);
        int stepsPerHold = (int)Math.Round(0.02 / step);
        for (int i = 0; i < steps; i++)
        {
            // The same force signal for every step size: a 7 rad/s sine held for 20 ms at a time.
            float force = 3f * (float)Math.Sin(7.0 * 0.02 * (i / stepsPerHold));
            if (rk4)
            {
                model.StepRk4(ref state, force, step);
            }
            else
            {
                model.StepSemiImplicitEuler(ref state, force, step);
            }
        }

        return state;
    }

    // Derivative of the state at upright, perturbed in one state component (0..3) or the force (4).
    private static float[] Derivative(CartPoleModel model, int column, float delta)
    {
        var state = new CartPoleState();
        float force = 0f;
        switch (column)
        {
            case 0: state.X = delta; break;
            case 1: state.XDot = delta; break;
            case 2: state.Theta = delta; break;
            case 3: state.ThetaDot = delta; break;
            default: force = delta; break;
        }

        model.Accelerations(ref state, force, out float xDDot, out float thetaDDot);
        return [state.XDot, xDDot, state.ThetaDot, thetaDDot];
    }

    // The largest real eigenvalue of a 4 x 4 matrix: bisection on det(lambda I - A) over (0, 100].
    private static double LargestRealEigenvalue(float[] a)
    {
        double low = 1e-6, high = 100;
        double highSign = Math.Sign(CharacteristicPolynomial(a, high));
        Assert.AreNotEqual(highSign, Math.Sign(CharacteristicPolynomial(a, low)), "no positive real eigenvalue");
        for (int i = 0; i < 200; i++)
        {
            double middle = 0.5 * (low + high);
            if (Math.Sign(CharacteristicPolynomial(a, middle)) == highSign)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return 0.5 * (low + high);
    }

    private static double CharacteristicPolynomial(float[] a, double lambda)
    {
        var m = new double[4, 4];
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                m[r, c] = (r == c ? lambda : 0) - a[r * 4 + c];
            }
        }

        return Determinant(m, 4);
    }

    private static double Determinant(double[,] m, int n)
    {
        if (n == 1)
        {
            return m[0, 0];
        }

        double sum = 0;
        for (int c = 0; c < n; c++)
        {
            var minor = new double[n - 1, n - 1];
            for (int r = 1; r < n; r++)
            {
                for (int k = 0, mc = 0; k < n; k++)
                {
                    if (k != c)
                    {
                        minor[r - 1, mc++] = m[r, k];
                    }
                }
            }

            sum += (c % 2 == 0 ? 1 : -1) * m[0, c] * Determinant(minor, n - 1);
        }

        return sum;
    }
}
