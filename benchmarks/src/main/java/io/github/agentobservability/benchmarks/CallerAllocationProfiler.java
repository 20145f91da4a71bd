package io.github.agentobservability.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Bytes allocated per operation by the threads that run the benchmark method only,
 * next to JMH's {@code gc.alloc.rate.norm}, which counts every thread. The difference is
 * what the batch span processor's export thread allocates: in these arms that is
 * Spring Boot's span exporter wrapping (the same in every arm), work the caller never
 * waits for. Enable with {@code -prof
 * io.github.agentobservability.benchmarks.CallerAllocationProfiler}.
 */
public class CallerAllocationProfiler implements InternalProfiler {

	private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private Map<Long, Long> before = Map.of();

	@Override
	public String getDescription() {
		return "Bytes allocated per operation on the benchmark's own threads";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		this.before = workerAllocations();
	}

	@Override
	public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
			IterationParams iterationParams, IterationResult result) {
		Map<Long, Long> after = workerAllocations();
		long allocated = 0;
		for (Map.Entry<Long, Long> entry : after.entrySet()) {
			allocated += entry.getValue() - this.before.getOrDefault(entry.getKey(), 0L);
		}
		long operations = result.getMetadata().getAllOps();
		double perOperation = (operations > 0) ? (double) allocated / operations : Double.NaN;
		return List.of(new ScalarResult("caller.alloc.norm", perOperation, "B/op", AggregationPolicy.AVG));
	}

	/**
	 * JMH runs benchmark methods on threads named {@code <benchmark>-jmh-worker-N}.
	 */
	private Map<Long, Long> workerAllocations() {
		Map<Long, Long> allocations = new HashMap<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().contains("jmh-worker")) {
				allocations.put(thread.getId(), this.threads.getThreadAllocatedBytes(thread.getId()));
			}
		}
		return allocations;
	}

}
