using System;
using EmbeddedMpc.Core.Math;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

[TestClass]
public sealed class FloatMathTests
{
    // The documented bounds (FloatMath remarks): the planner's model relies on them.
    private const double TrigAbsoluteErrorBound = 2e-6;
    private const double RelativeErrorBound = 1e-6;

    [TestMethod]
    public void SinAndCosStayWithinTheirErrorBoundOnADenseGridAndRandomAngles()
    {
        var random = new Random(12345);
        double worst = 0;
        for (int i = 0; i <= 400_000; i++)
        {
            // A dense grid over [-20, 20] rad plus random angles up to +/-1000 rad.
            double angle = i % 2 == 0 ? -20.0 + i * 1e-4 : (random.NextDouble() * 2 - 1) * 1000.0;
            float x = (float)angle;
            worst = Math.Max(worst, Math.Abs(FloatMath.Sin(x) - Math.Sin(x)));
            worst = Math.Max(worst, Math.Abs(FloatMath.Cos(x) - Math.Cos(x)));
        }

        Assert.IsTrue(worst < TrigAbsoluteErrorBound, $"worst absolute error {worst:E2} exceeds {TrigAbsoluteErrorBound:E0}");
    }

    [TestMethod]
    public void SinAndCosAreExactAtTheReferenceAnglesTheModelUses()
    {
        Assert.AreEqual(0f, FloatMath.Sin(0f));
        Assert.AreEqual(1f, FloatMath.Cos(0f));
        Assert.AreEqual(-1.0, FloatMath.Cos(FloatMath.Pi), 1e-6, "hanging");
        Assert.AreEqual(1.0, FloatMath.Sin(FloatMath.HalfPi), 1e-6);
    }

    [TestMethod]
    public void NonFiniteAnglesGiveNaNRatherThanAWrongNumber()
    {
        Assert.IsTrue(float.IsNaN(FloatMath.Sin(float.NaN)));
        Assert.IsTrue(float.IsNaN(FloatMath.Cos(float.PositiveInfinity)));
        Assert.IsTrue(float.IsNaN(FloatMath.WrapToPi(float.NegativeInfinity)));
        // Beyond 1e5 rad the reduction leaves [-pi, pi] (at 9.9e8 it gave a "sine" of 607,444): NaN, so the
        // supervisor sees a non-finite state instead of a finite wrong one.
        foreach (float huge in new[] { 1.0001e5f, -7.77e8f, 9.9e8f })
        {
            FloatMath.SinCos(huge, out float sine, out float cosine);
            Assert.IsTrue(float.IsNaN(sine) && float.IsNaN(cosine) && float.IsNaN(FloatMath.WrapToPi(huge)), $"{huge}: {sine}, {cosine}");
        }
    }

    [TestMethod]
    public void WrapToPiKeepsTheAngleModuloTwoPi()
    {
        var random = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            float angle = (float)((random.NextDouble() * 2 - 1) * 10_000);
            float wrapped = FloatMath.WrapToPi(angle);
            Assert.IsTrue(wrapped >= -FloatMath.Pi && wrapped <= FloatMath.Pi, $"{angle} wrapped to {wrapped}");
            double difference = Math.IEEERemainder(angle - (double)wrapped, 2 * Math.PI);
            // float has about 1e-3 rad of resolution at 10,000 rad.
            Assert.AreEqual(0, difference, 2e-3, $"{angle} wrapped to {wrapped}");
        }
    }

    [TestMethod]
    public void SqrtExpAndLogStayWithinTheirRelativeErrorBound()
    {
        var random = new Random(99);
        double worstSqrt = 0, worstExp = 0, worstLog = 0;
        for (int i = 0; i < 200_000; i++)
        {
            float positive = (float)Math.Pow(10, random.NextDouble() * 60 - 30);
            worstSqrt = Math.Max(worstSqrt, RelativeError(FloatMath.Sqrt(positive), Math.Sqrt(positive)));
            worstLog = Math.Max(worstLog, Math.Abs(FloatMath.Log(positive) - Math.Log(positive)) / Math.Max(1, Math.Abs(Math.Log(positive))));
            float exponent = (float)(random.NextDouble() * 160 - 80);
            worstExp = Math.Max(worstExp, RelativeError(FloatMath.Exp(exponent), Math.Exp(exponent)));
        }

        Assert.IsTrue(worstSqrt < RelativeErrorBound, $"sqrt: {worstSqrt:E2}");
        Assert.IsTrue(worstExp < RelativeErrorBound, $"exp: {worstExp:E2}");
        Assert.IsTrue(worstLog < RelativeErrorBound, $"log: {worstLog:E2}");
    }

    [TestMethod]
    public void SinCosIsSinAndCosBitForBit()
    {
        // The model step takes both from one SinCos (one range reduction); the planner's decisions must not change
        // by it, so every angle, inside [-pi, pi], beyond it after a few turns, and at the edges, gives the same bits.
        var random = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            float angle = (float)((random.NextDouble() - 0.5) * (i % 2 == 0 ? 2 * Math.PI : 40.0));
            FloatMath.SinCos(angle, out float sine, out float cosine);
            Assert.AreEqual(FloatMath.Sin(angle), sine, $"sin {angle:R}");
            Assert.AreEqual(FloatMath.Cos(angle), cosine, $"cos {angle:R}");
        }

        foreach (float edge in new[] { 0f, FloatMath.Pi, -FloatMath.Pi, FloatMath.HalfPi, -FloatMath.HalfPi, 1e9f, float.NaN, float.PositiveInfinity })
        {
            FloatMath.SinCos(edge, out float sine, out float cosine);
            Assert.AreEqual(FloatMath.Sin(edge), sine, $"sin {edge:R}");
            Assert.AreEqual(FloatMath.Cos(edge), cosine, $"cos {edge:R}");
        }
    }

    [TestMethod]
    public void SqrtExpAndLogHandleTheEdgesOfTheirDomains()
    {
        Assert.AreEqual(0f, FloatMath.Sqrt(0f));
        Assert.IsTrue(float.IsNaN(FloatMath.Sqrt(-1f)));
        Assert.IsTrue(float.IsPositiveInfinity(FloatMath.Sqrt(float.PositiveInfinity)));
        Assert.AreEqual(1f, FloatMath.Exp(0f));
        Assert.AreEqual(0f, FloatMath.Exp(-200f));
        Assert.IsTrue(float.IsNaN(FloatMath.Exp(float.NaN)));
        Assert.IsTrue(FloatMath.Exp(-100f) > 0f && FloatMath.Exp(-100f) < 1e-43f, "a subnormal result, scaled step by step");
        Assert.IsTrue(float.IsPositiveInfinity(FloatMath.Exp(float.PositiveInfinity)));
        Assert.IsTrue(float.IsPositiveInfinity(FloatMath.Exp(100f)));
        Assert.IsTrue(float.IsNegativeInfinity(FloatMath.Log(0f)));
        Assert.IsTrue(float.IsNaN(FloatMath.Log(-1f)));
        Assert.AreEqual(0f, FloatMath.Log(1f));
    }

    private static double RelativeError(double actual, double expected) => Math.Abs(actual - expected) / Math.Abs(expected);
}
