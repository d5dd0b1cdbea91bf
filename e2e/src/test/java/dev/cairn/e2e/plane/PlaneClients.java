package dev.cairn.e2e.plane;

/**
 * Which of the plane's clients an audited request came from, by its user: each component has its
 * own credentials, except the plane's kubelet and the tests, which both use the administrator's; of
 * those, the tests' writes are the Workflows they create.
 */
public final class PlaneClients {
  public static final String OPERATOR = "operator";
  public static final String SCHEDULER = "scheduler";
  public static final String CONTROLLER_MANAGER = "controller-manager";
  public static final String KUBELET = "kubelet";
  public static final String API_SERVER = "kube-apiserver";
  public static final String USER = "user";
  public static final String OTHER = "other";

  private final String operatorNamespace;

  public PlaneClients(String operatorNamespace) {
    this.operatorNamespace = operatorNamespace;
  }

  public String of(AuditLog.Request request) {
    String user = request.user();
    if (user.startsWith("system:serviceaccount:" + operatorNamespace + ":")) {
      return OPERATOR;
    }
    if (user.equals("system:kube-scheduler")) {
      return SCHEDULER;
    }
    if (user.equals("system:kube-controller-manager")
        || user.startsWith("system:serviceaccount:kube-system:")) {
      return CONTROLLER_MANAGER;
    }
    if (user.equals("system:apiserver")) {
      return API_SERVER;
    }
    if (user.startsWith("system:node:")) {
      return KUBELET;
    }
    if (user.equals("kubernetes-admin")) {
      return request.action().endsWith(" cairn.dev/workflows") ? USER : KUBELET;
    }
    return OTHER;
  }
}
