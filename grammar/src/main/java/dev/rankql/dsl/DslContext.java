package dev.rankql.dsl;

import java.util.ArrayList;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * The base of every parse-tree node: it starts a node's child list small, where ANTLR's default list allocates room
 * for ten children on the first one although most nodes hold one to five.
 */
class DslContext extends ParserRuleContext {

    DslContext() {}

    DslContext(ParserRuleContext parent, int invokingStateNumber) {
        super(parent, invokingStateNumber);
    }

    @Override
    public <T extends ParseTree> T addAnyChild(T child) {
        if (children == null) {
            children = new ArrayList<>(4);
        }
        children.add(child);
        return child;
    }
}
