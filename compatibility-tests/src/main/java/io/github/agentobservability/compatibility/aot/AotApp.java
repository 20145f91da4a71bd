package io.github.agentobservability.compatibility.aot;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * An application processed ahead of time by the build ({@code spring-boot:process-aot}),
 * then run from its generated initializer with {@code -Dspring.aot.enabled=true}, as a
 * native image would run it: it traces one call and prints the spans it ended.
 */
@SpringBootApplication
public class AotApp {

	public static void main(String[] args) {
		try (ConfigurableApplicationContext context = SpringApplication.run(AotApp.class, args)) {
			String greeting = context.getBean(AotGreeter.class).greet("aot");
			EndedSpans spans = context.getBean(EndedSpans.class);
			System.out.println("aot-smoke: " + greeting + " " + spans.names);
		}
	}

	@Bean
	AotGreeter aotGreeter() {
		return new AotGreeter();
	}

	@Bean
	EndedSpans endedSpans() {
		return new EndedSpans();
	}

	public static class AotGreeter {

		@Traced("greet")
		public String greet(@SpanAttribute("greeting.name") String name) {
			return "hello " + name;
		}

	}

	/**
	 * Keeps the names and attributes of ended spans.
	 */
	static class EndedSpans implements SpanProcessor {

		private static final AttributeKey<String> GREETING_NAME = AttributeKey.stringKey("greeting.name");

		final List<String> names = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Context parentContext, ReadWriteSpan span) {
		}

		@Override
		public boolean isStartRequired() {
			return false;
		}

		@Override
		public void onEnd(ReadableSpan span) {
			this.names.add(span.getName() + "{greeting.name=" + span.getAttribute(GREETING_NAME) + "}");
		}

		@Override
		public boolean isEndRequired() {
			return true;
		}

	}

}
