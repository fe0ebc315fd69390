using System;
using EmbeddedMpc.Core.Math;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

[TestClass]
public sealed class SeededRandomTests
{
    [TestMethod]
    public void TheSameSeedGivesTheSameStreamAndReseedRestartsIt()
    {
        var first = new SeededRandom(42);
        var second = new SeededRandom(42);
        var values = new float[1000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = first.NextGaussian();
            Assert.AreEqual(values[i], second.NextGaussian());
        }

        first.Reseed(42);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.AreEqual(values[i], first.NextGaussian());
        }
    }

    [TestMethod]
    public void TheStreamIsPinnedSoTheDeviceDrawsTheSameNumbers()
    {
        // xoshiro128** seeded by SplitMix32 with seed 1. These values must never change: seeded runs
        // are compared between host and device, and between versions.
        var random = new SeededRandom(1);
        CollectionAssert.AreEqual(new[] { 2442144158u, 3238099751u, 3819917871u }, new[] { random.NextUInt32(), random.NextUInt32(), random.NextUInt32() });
        var gaussian = new SeededRandom(1);
        Assert.AreEqual(0.41807932f, gaussian.NextGaussian());
        Assert.AreEqual(1.5474223f, gaussian.NextGaussian());
        Assert.AreNotEqual(2442144158u, new SeededRandom(2).NextUInt32(), "different seeds must give different streams");
    }

    [TestMethod]
    public void UniformSamplesCoverTheUnitIntervalEvenly()
    {
        var random = new SeededRandom(3);
        const int count = 200_000;
        var bins = new int[10];
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            float u = random.NextFloat();
            Assert.IsTrue(u >= 0f && u < 1f);
            bins[(int)(u * 10)]++;
            sum += u;
        }

        // Mean 1/2 with standard error sqrt(1/12 / n) = 6.5e-4: 5 standard errors.
        Assert.AreEqual(0.5, sum / count, 3.3e-3);
        foreach (int bin in bins)
        {
            // Each bin expects 20,000 with standard deviation 134: 5 standard deviations.
            Assert.AreEqual(20_000, bin, 670);
        }
    }

    [TestMethod]
    public void GaussianSamplesHaveZeroMeanUnitVarianceAndNormalTails()
    {
        var random = new SeededRandom(5);
        const int count = 200_000;
        double sum = 0, sumSquares = 0;
        int beyondTwoSigma = 0;
        for (int i = 0; i < count; i++)
        {
            double g = random.NextGaussian();
            sum += g;
            sumSquares += g * g;
            if (Math.Abs(g) > 2)
            {
                beyondTwoSigma++;
            }
        }

        double mean = sum / count;
        double variance = sumSquares / count - mean * mean;
        // Standard errors: mean 1/sqrt(n) = 2.2e-3, variance sqrt(2/n) = 3.2e-3; 5 of each.
        Assert.AreEqual(0, mean, 0.011);
        Assert.AreEqual(1, variance, 0.016);
        // P(|g| > 2) = 0.0455; binomial standard deviation 93 of 9,100.
        Assert.AreEqual(0.0455 * count, beyondTwoSigma, 470);
    }
}
