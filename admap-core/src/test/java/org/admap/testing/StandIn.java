package org.admap.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link StandInServer} for each test, like {@code @TempDir}: the annotated field holds a
 * started one before the test's {@code @BeforeEach} methods run, and it is closed after the
 * test: {@code @StandIn StandInServer server;} in place of a start in {@code @BeforeEach} and
 * a close in {@code @AfterEach}. A test that needs more than the defaults sets them on the
 * field in its own {@code @BeforeEach}.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(StandIn.Extension.class)
public @interface StandIn {

    /** Starts the stand-ins of the test instance's {@link StandIn} fields and closes them after the test. */
    final class Extension implements BeforeEachCallback, AfterEachCallback {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StandIn.class);

        @Override
        public void beforeEach(ExtensionContext context) throws Exception {
            List<StandInServer> started = new ArrayList<>();
            context.getStore(NAMESPACE).put(this, started);
            for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
                for (Class<?> c = instance.getClass(); c != Object.class; c = c.getSuperclass()) {
                    for (Field f : c.getDeclaredFields()) {
                        if (!f.isAnnotationPresent(StandIn.class) || f.getType() != StandInServer.class) {
                            continue;
                        }
                        f.setAccessible(true);
                        if (f.get(instance) == null) { // one extension per annotated field: each starts it once
                            StandInServer server = StandInServer.start();
                            started.add(server);
                            f.set(instance, server);
                        }
                    }
                }
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void afterEach(ExtensionContext context) {
            List<StandInServer> started = (List<StandInServer>) context.getStore(NAMESPACE).remove(this);
            if (started != null) {
                started.forEach(StandInServer::close);
            }
        }
    }
}
