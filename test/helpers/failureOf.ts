/** What `promise` rejected with; throws when it resolves (the test expected it to fail). */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, but it was answered');
}
